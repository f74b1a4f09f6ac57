using System.IO;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using ModelDsl.Chat;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Models;
using ModelDsl.Tests.Generation;
using ModelDsl.Tests.IO;
using Xunit;

namespace ModelDsl.Tests.Clients;

/// <summary>
/// Clients given <c>GenerationOptions.FromPretrained(dir)</c> as their defaults (as README shows) decode with the
/// checkpoint's <c>generation_config.json</c>: they stop at every id its <c>eos_token_id</c> lists, not only the tokenizer's.
/// </summary>
public sealed class GenerationConfigDefaultsTests
{
    const string Question = "Tell me about the cat.";
    const int MaxNewTokens = 6;

    sealed class AskClient(ICausalLanguageModel model, Tokenizer tokenizer, GenerationOptions? defaults) : PromptClient(model, tokenizer, defaults)
    {
        public string Ask(string question) => GenerateText(question);
    }

    [Fact]
    public async Task The_chat_client_stops_at_an_extra_eos_id_listed_in_generation_config_json()
    {
        using var model = GenerationModels.NewGpt2(seed: 81);
        var tokenizer = GenerationModels.Tokenizer;
        // GPT-2's tokenizer has no chat template: the client prompts in the simple format and stops at the next header.
        var prompt = ChatTemplate.Simple.Render([ChatTurn.User(Question)], addGenerationPrompt: true);
        var free = new TextGenerator(model, tokenizer).Generate(prompt,
            new GenerationOptions { MaxNewTokens = MaxNewTokens, StopSequences = ChatTemplate.SimpleTurnStops, EndOfSequenceTokenIds = [50256] });
        var extraEos = FirstTokenOf(free);
        using var dir = WithGenerationConfig($$"""{"eos_token_id": [50256, {{extraEos}}], "max_new_tokens": {{MaxNewTokens}}, "transformers_version": "4.45.0"}""");

        using IChatClient client = new LanguageModelChatClient(model, tokenizer, GenerationOptions.FromPretrained(dir.Path));
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, Question)]);

        // The model's first choice is now an end of sequence: nothing is generated, and the reply says it stopped.
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(0, response.Usage!.OutputTokenCount);
        Assert.Equal("", response.Text);

        // The same client without the file's defaults runs on to the bound.
        using IChatClient plain = new LanguageModelChatClient(model, tokenizer, new GenerationOptions { MaxNewTokens = MaxNewTokens });
        var unstopped = await plain.GetResponseAsync([new ChatMessage(ChatRole.User, Question)]);
        Assert.Equal(free.TokenIds.Count, unstopped.Usage!.OutputTokenCount);
        Assert.Equal(free.Text.Trim(), unstopped.Text);
    }

    [Fact]
    public void A_typed_client_with_the_checkpoint_defaults_stops_at_an_extra_eos_id()
    {
        using var model = GenerationModels.NewGpt2(seed: 82);
        var tokenizer = GenerationModels.Tokenizer;
        // Without a chat template a typed client sends the prompt as written.
        var free = new TextGenerator(model, tokenizer).Generate(Question, new GenerationOptions { MaxNewTokens = MaxNewTokens, EndOfSequenceTokenIds = [50256] });
        var extraEos = FirstTokenOf(free);
        using var dir = WithGenerationConfig($$"""{"eos_token_id": [50256, {{extraEos}}], "max_new_tokens": {{MaxNewTokens}}}""");

        var client = new AskClient(model, tokenizer, GenerationOptions.FromPretrained(dir.Path));

        Assert.Equal("", client.Ask(Question));
        Assert.Equal(free.Text.Trim(), new AskClient(model, tokenizer, new GenerationOptions { MaxNewTokens = MaxNewTokens }).Ask(Question));
    }

    // The id the model picks first, which the test's generation_config.json then lists as an end of sequence. A tiny
    // random model repeats its first choice, so later positions give no different id to cut at.
    static int FirstTokenOf(GeneratedText free)
    {
        Assert.Equal(MaxNewTokens, free.TokenIds.Count);
        Assert.False(string.IsNullOrWhiteSpace(free.Text), "the free reply is blank, so an empty reply would prove nothing");
        return free.TokenIds[0];
    }

    static TempDirectory WithGenerationConfig(string json)
    {
        var dir = new TempDirectory();
        File.WriteAllText(dir.File(ModelDsl.IO.GenerationConfig.FileName), json);
        return dir;
    }
}
