using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using ModelDsl.Chat;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Tests.Generation;
using ModelDsl.Tests.Generation.Structured;
using Xunit;

namespace ModelDsl.Tests.Clients;

/// <summary>A story's facts, as a user would ask <c>GetResponseAsync&lt;T&gt;</c> for them.</summary>
public sealed record StoryFacts(string Who, string What, Sentiment Felt, int Characters, List<string> Places, string? Moral);

/// <summary>
/// The chat client honours a JSON-schema response format, so Microsoft.Extensions.AI's <c>GetResponseAsync&lt;T&gt;</c>
/// returns a <c>T</c> from a random-weight GPT-2 over the full GPT-2 vocabulary; its calls are asynchronous and
/// cancellable.
/// </summary>
public sealed class ChatStructuredOutputTests
{
    static readonly ChatMessage[] Ask = [new(ChatRole.User, "Who is in the story, what happened, and how did they feel?")];

    [Fact]
    public async Task GetResponseAsync_of_a_record_returns_one_for_each_of_100_sampled_calls()
    {
        using var model = ConstrainedSamplingTests.NewModel(seed: 15);
        using IChatClient client = new LanguageModelChatClient(model, GenerationModels.Tokenizer);
        var options = new ChatOptions { Temperature = 1.0f, MaxOutputTokens = 64 };

        // Concurrent callers: the model's queue decodes them in batches, which keeps 100 calls fast.
        var calls = Enumerable.Range(0, 100).Select(_ => client.GetResponseAsync<StoryFacts>(Ask, options)).ToArray();
        var responses = await Task.WhenAll(calls);

        var distinct = new HashSet<string>();
        foreach (var response in responses)
        {
            Assert.True(response.TryGetResult(out var facts), $"Not a StoryFacts: {response.Text}");
            Assert.NotNull(facts!.Who);
            Assert.NotNull(facts.Places);
            Assert.True(Enum.IsDefined(facts.Felt), $"Felt is {facts.Felt}");
            distinct.Add(response.Text);
        }
        // Sampled at temperature 1 from random weights: the answers really vary (a constant answer would pass trivially).
        Assert.True(distinct.Count > 50, $"Only {distinct.Count} distinct answers in 100 samples.");
    }

    [Fact]
    public async Task A_greedy_constrained_reply_is_the_one_the_generator_gives_for_the_same_schema()
    {
        using var model = ConstrainedSamplingTests.NewModel(seed: 16);
        using IChatClient client = new LanguageModelChatClient(model, GenerationModels.Tokenizer);
        var schema = AIJsonUtilities.CreateJsonSchema(typeof(Address));
        var options = new ChatOptions { MaxOutputTokens = 60, ResponseFormat = ChatResponseFormat.ForJsonSchema(schema) };

        var response = await client.GetResponseAsync(Ask, options);

        var expected = new TextGenerator(model, GenerationModels.Tokenizer).Generate(ChatTemplate.Simple.Render(Ask.Select(m => new ChatTurn(m.Role.Value, m.Text)).ToList(), addGenerationPrompt: true), new GenerationOptions
        {
            MaxNewTokens = 60,
            ResponseConstraint = ModelDsl.Generation.Structured.JsonSchemaConstraint.FromSchema(schema),
            EndOfSequenceTokenIds = [50256],
        });
        Assert.Equal(expected.Text, response.Text);
        Assert.NotNull(JsonSerializer.Deserialize<Address>(response.Text));
    }

    [Fact]
    public async Task JSON_without_a_schema_is_refused_by_name()
    {
        using var model = GenerationModels.NewGpt2(seed: 3);
        using IChatClient client = new LanguageModelChatClient(model, GenerationModels.Tokenizer);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(Ask, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }));
        Assert.Contains("without a schema", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_returns_before_the_reply_is_generated_and_stops_when_cancelled()
    {
        using var model = ConstrainedSamplingTests.NewModel(seed: 17);
        using IChatClient client = new LanguageModelChatClient(model, GenerationModels.Tokenizer, new GenerationOptions { EndOfSequenceTokenId = 0 });
        // Token 0 ("!") as the end would stop early; sampling from random weights over 50,257 ids rarely picks it.
        var options = new ChatOptions { MaxOutputTokens = 200, Temperature = 1.0f };
        using var cancel = new CancellationTokenSource();

        var pending = client.GetResponseAsync(Ask, options, cancel.Token);
        Assert.False(pending.IsCompleted, "GetResponseAsync completed on the caller's thread.");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        var already = client.GetResponseAsync(Ask, options, cancel.Token);   // cancelled before it starts: a cancelled task, not a throw
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => already);
    }
}
