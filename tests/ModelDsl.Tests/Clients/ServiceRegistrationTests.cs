using System;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.Tokenizers;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Models;
using ModelDsl.Tests.Generation;
using Xunit;

namespace ModelDsl.Tests.Clients;

/// <summary>Clients registered in a service container, configured through options, answer as clients built by hand.</summary>
public sealed class ServiceRegistrationTests
{
    static readonly ChatMessage[] Ask = [new(ChatRole.User, "Say something.")];

    [Fact]
    public async Task The_chat_client_is_one_singleton_over_the_registered_model_with_the_configured_options()
    {
        using var model = GenerationModels.NewGpt2(seed: 21);
        var services = new ServiceCollection();
        services.AddSingleton<ICausalLanguageModel>(model);
        services.AddSingleton(GenerationModels.Tokenizer);
        services.AddLanguageModelChatClient(o =>
        {
            o.DefaultOptions = new GenerationOptions { MaxNewTokens = 7 };
            o.ModelId = "tiny-gpt2";
        });
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IChatClient>();
        Assert.Same(client, provider.GetRequiredService<IChatClient>());
        var response = await client.GetResponseAsync(Ask);

        using var byHand = new LanguageModelChatClient(model, GenerationModels.Tokenizer, new GenerationOptions { MaxNewTokens = 7 }, "tiny-gpt2");
        var expected = await byHand.GetResponseAsync(Ask);
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal("tiny-gpt2", response.ModelId);
        Assert.True(response.Usage!.OutputTokenCount <= 7);
    }

    [Fact]
    public void A_prompt_client_is_built_from_the_registered_model_and_gets_the_configured_default_options()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new ClientTestGpt());
        services.AddSingleton<Tokenizer>(ModelDsl.Tokenization.Tokenizers.Gpt2());
        services.AddPromptClient<MoodClient>(o => o.DefaultOptions = new GenerationOptions { MaxNewTokens = 3, Temperature = 0.5 });
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<MoodClient>();
        Assert.Same(client, provider.GetRequiredService<MoodClient>());
        Assert.Equal(3, client.DefaultOptions.MaxNewTokens);
        Assert.Equal(0.5, client.DefaultOptions.Temperature);
        Assert.True(client.UseDeclaredExamples);
        Assert.Equal(2, client.RenderClassify("the soup is cold").ExamplesUsed);
    }

    [Fact]
    public void A_prompt_client_over_a_fine_tuned_model_can_be_registered_without_its_declared_examples()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new ClientTestGpt());
        services.AddSingleton<Tokenizer>(ModelDsl.Tokenization.Tokenizers.Gpt2());
        services.AddPromptClient<MoodClient>(o => o.UseDeclaredExamples = false);
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<MoodClient>();
        Assert.False(client.UseDeclaredExamples);
        Assert.Equal("Text: the soup is cold\nMood:", client.RenderClassify("the soup is cold").Text);
    }
}
