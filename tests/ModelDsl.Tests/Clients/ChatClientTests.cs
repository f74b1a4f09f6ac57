using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using ModelDsl.Chat;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Tests.Generation;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Clients;

/// <summary>The IChatClient renders the conversation, returns the model's reply and streams the same reply.</summary>
public sealed class ChatClientTests
{
    static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "You are terse."),
        new(ChatRole.User, "Say something."),
    ];

    static readonly ChatTurn[] Turns = [ChatTurn.System("You are terse."), ChatTurn.User("Say something.")];

    [Fact]
    public void A_tokenizer_without_a_template_gets_the_simple_format()
    {
        Assert.Null(ChatTemplate.OfTokenizer(GenerationModels.Tokenizer));
        Assert.Equal("<|system|>\nYou are terse.\n<|user|>\nSay something.\n<|assistant|>\n", ChatTemplate.Simple.Render(Turns, addGenerationPrompt: true));
    }

    [Fact]
    public async Task Returns_the_generated_reply_and_streams_it()
    {
        using var model = GenerationModels.NewGpt2(seed: 81);
        using IChatClient client = new LanguageModelChatClient(model, GenerationModels.Tokenizer);
        var options = new ChatOptions { MaxOutputTokens = 10 };

        var response = await client.GetResponseAsync(Conversation, options);
        var expected = new TextGenerator(model, GenerationModels.Tokenizer).Generate(ChatTemplate.Simple.Render(Turns, addGenerationPrompt: true),
            new GenerationOptions { MaxNewTokens = 10, StopSequences = ChatTemplate.SimpleTurnStops, EndOfSequenceTokenIds = [50256] });
        Assert.Equal(expected.Text.Trim(), response.Text);
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(ChatRole.Assistant, response.Messages[0].Role);
        Assert.Equal(expected.TokenIds.Count, response.Usage!.OutputTokenCount);

        var pieces = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation, options)) pieces.Add(update.Text);
        Assert.True(pieces.Count > 1, "the reply came in one piece");
        Assert.Equal(response.Text, string.Concat(pieces).TrimEnd());
    }

    [Fact]
    public async Task A_model_with_a_chat_template_is_prompted_in_it_with_one_bos_and_stops_at_its_eos()
    {
        var tokenizer = ModelDsl.Tests.Tokenization.TokenizerFixtures.Load("llama3_2");
        var reference = ModelDsl.Tests.Tokenization.TokenizerFixtures.Reference("llama3_2");
        TorchSharp.torch.manual_seed(4);
        using var model = new ModelDsl.Models.LlamaForCausalLM(new ModelDsl.Models.LlamaConfig(
            Layers: 1, Dim: 8, Heads: 2, KvHeads: 1, Ffn: 16, Vocab: tokenizer.VocabularySize, Context: 256));
        model.eval();
        using IChatClient client = new LanguageModelChatClient(model, tokenizer);

        var response = await client.GetResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 6 });

        // apply_chat_template(tokenize=True): the rendered text encoded without added special tokens.
        var template = ChatTemplate.FromTokenizerConfig(ModelDsl.Tests.Tokenization.TokenizerFixtures.TokenizerConfigJson("llama3_2"));
        var prompt = reference.Encode(template.Render(Turns, addGenerationPrompt: true), addSpecialTokens: false);
        Assert.Equal(128000, prompt[0]);
        Assert.Equal(1, prompt.Count(id => id == 128000));
        var expected = new TextGenerator(model, tokenizer).GenerateTokens([prompt],
            new GenerationOptions { MaxNewTokens = 6, EndOfSequenceTokenIds = [128009] })[0];
        Assert.Equal(prompt.Length, response.Usage!.InputTokenCount);
        Assert.Equal(expected.Text.Trim(), response.Text);
        Assert.Equal(expected.TokenIds.Count, response.Usage.OutputTokenCount);
    }

    sealed class AskClient(ModelDsl.Models.ICausalLanguageModel model, Microsoft.ML.Tokenizers.Tokenizer tokenizer)
        : PromptClient(model, tokenizer, new GenerationOptions { MaxNewTokens = 6 })
    {
        public string Ask(string question) => GenerateText(question);
        public string PromptFor(string question) => ModelPrompt(question);
    }

    [Fact]
    public async Task A_typed_client_over_a_chat_model_prompts_in_its_chat_template_as_the_chat_client_does()
    {
        var tokenizer = ModelDsl.Tests.Tokenization.TokenizerFixtures.Load("llama3_2");
        var reference = ModelDsl.Tests.Tokenization.TokenizerFixtures.Reference("llama3_2");
        TorchSharp.torch.manual_seed(5);
        using var model = new ModelDsl.Models.LlamaForCausalLM(new ModelDsl.Models.LlamaConfig(
            Layers: 1, Dim: 8, Heads: 2, KvHeads: 1, Ffn: 16, Vocab: tokenizer.VocabularySize, Context: 256));
        model.eval();
        const string question = "Q: Who found the fox?\nA:";
        var client = new AskClient(model, tokenizer);

        // apply_chat_template([{"role": "user", ...}], add_generation_prompt=True, tokenize=True), by the reference.
        var template = ChatTemplate.FromTokenizerConfig(ModelDsl.Tests.Tokenization.TokenizerFixtures.TokenizerConfigJson("llama3_2"));
        var expectedIds = reference.Encode(template.Render([new ChatTurn("user", question)], addGenerationPrompt: true), addSpecialTokens: false);
        Assert.Equal(expectedIds, tokenizer.EncodePrompt(client.PromptFor(question)));

        using IChatClient chat = new LanguageModelChatClient(model, tokenizer);
        var viaChat = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, question)], new ChatOptions { MaxOutputTokens = 6 });
        Assert.Equal(viaChat.Text, client.Ask(question));
    }

    [Theory]
    [InlineData("Tools")]
    [InlineData("FrequencyPenalty")]
    [InlineData("PresencePenalty")]
    public async Task Options_the_client_cannot_honour_are_refused_by_name(string option)
    {
        using var model = GenerationModels.NewGpt2(seed: 81);
        using IChatClient client = new LanguageModelChatClient(model, GenerationModels.Tokenizer);
        var options = option switch
        {
            "Tools" => new ChatOptions { Tools = [AIFunctionFactory.Create(() => 42, "answer")] },
            "FrequencyPenalty" => new ChatOptions { FrequencyPenalty = 0.5f },
            _ => new ChatOptions { PresencePenalty = 0.5f },
        };

        var error = await Assert.ThrowsAsync<System.NotSupportedException>(() => client.GetResponseAsync(Conversation, options));

        Assert.Contains($"ChatOptions.{option}", error.Message);
    }
}
