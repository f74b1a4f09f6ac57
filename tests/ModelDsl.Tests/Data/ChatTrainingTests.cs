using System.Linq;
using ModelDsl.Chat;
using ModelDsl.Data;
using ModelDsl.Tests.Tokenization;
using ModelDsl.Tokenization;
using Xunit;
using DataMessage = ModelDsl.Data.ExampleMessage;

namespace ModelDsl.Tests.Data;

/// <summary>
/// Chat examples are the model's own chat template, tokenized as <c>apply_chat_template(..., tokenize=True)</c> does
/// (the rendered text encoded without added special tokens: BOS only where the template writes it), with the loss on
/// the assistant turns only.
/// </summary>
public sealed class ChatTrainingTests
{
    static readonly DataMessage[] Conversation =
    [
        new("user", "What is the capital of France?"),
        new("assistant", "Paris."),
        new("user", "And of Italy?"),
        new("assistant", "Rome, since 1871."),
    ];

    static ChatTurn[] Turns => Conversation.Select(m => new ChatTurn(m.Role, m.Content)).ToArray();

    [Theory]
    [InlineData("llama3_2", 128000, "Paris.<|eot_id|>", "Rome, since 1871.<|eot_id|>")]
    [InlineData("gemma3", 2, "Paris.<end_of_turn>\n", "Rome, since 1871.<end_of_turn>\n")]
    [InlineData("qwen2_5", null, "Paris.<|im_end|>\n", "Rome, since 1871.<|im_end|>\n")]
    public void A_chat_example_is_the_models_template_with_loss_on_assistant_turns(string model, int? bos, string firstAnswer, string secondAnswer)
    {
        var tokenizer = TokenizerFixtures.Load(model);
        var template = ChatTemplate.FromTokenizerConfig(TokenizerFixtures.TokenizerConfigJson(model));
        var rendered = template.Render(Turns, addGenerationPrompt: false);
        var sequence = new Dataset([new ChatExample(Conversation)])
            .Tokenize(tokenizer, new TokenizationOptions { EosTokenId = SpecialTokens.Of(tokenizer).EosIds[0] }).Single();

        // The template ends every turn itself, so no EOS is appended after it.
        Assert.Equal(TokenizerFixtures.Reference(model).Encode(rendered, addSpecialTokens: false), sequence.Ids);
        Assert.Equal(bos is null ? 0 : 1, sequence.Ids.Count(id => id == bos));
        if (bos is not null) Assert.Equal(bos, sequence.Ids[0]);
        // Target runs, decoded: each assistant answer with the template's end-of-turn marker, nothing else.
        var runs = sequence.Labels.Select((label, i) => (label, i))
            .Where(p => p.label != TokenizedSequence.Ignore)
            .GroupBy(p => p.i - sequence.Labels.Take(p.i).Count(l => l != TokenizedSequence.Ignore))
            .Select(run => tokenizer.Decode(run.Select(p => p.label)))
            .ToArray();
        Assert.Equal(new[] { firstAnswer, secondAnswer }, runs);
    }

    [Fact]
    public void A_tokenizer_without_a_template_uses_the_simple_format()
    {
        var gpt2 = Tokenizers.Gpt2();
        Assert.Null(ChatTemplate.OfTokenizer(gpt2));
        var sequence = new Dataset([new ChatExample(Conversation[..2])])
            .Tokenize(gpt2, new TokenizationOptions { EosTokenId = 50256 }).Single();

        Assert.Equal("<|user|>\nWhat is the capital of France?\n<|assistant|>\nParis.\n<|endoftext|>", gpt2.Decode(sequence.Ids));
        var targets = sequence.Ids.Where((_, i) => sequence.Labels[i] != TokenizedSequence.Ignore).ToArray();
        Assert.Equal("Paris.\n<|endoftext|>", gpt2.Decode(targets));
    }

    [Fact]
    public void The_simple_format_gets_the_tokenizers_bos_once()
    {
        // Gemma 1's tokenizer_config.json ships no chat template, and its sequences start with <bos>.
        var gemma = TokenizerFixtures.Load("gemma");
        Assert.Null(ChatTemplate.OfTokenizer(gemma));
        var sequence = new Dataset([new ChatExample(Conversation[..2])]).Tokenize(gemma, new TokenizationOptions { EosTokenId = 1 }).Single();

        var rendered = ChatTemplate.Simple.Render(Turns[..2], addGenerationPrompt: false);
        Assert.Equal([.. TokenizerFixtures.Reference("gemma").Encode(rendered, addSpecialTokens: true), 1], sequence.Ids);
        Assert.Equal(1, sequence.Ids.Count(id => id == 2));
    }
}
