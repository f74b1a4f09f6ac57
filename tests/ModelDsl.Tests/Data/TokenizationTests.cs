using System.Linq;
using ModelDsl.Chat;
using ModelDsl.Data;
using ModelDsl.Tests.Training.Support;
using Xunit;

namespace ModelDsl.Tests.Data;

public sealed class TokenizationTests
{
    static readonly CharTokenizer Tokenizer = ToyCorpus.Tokenizer;
    static readonly TokenizationOptions Options = new() { MaxLength = 64, EosTokenId = CharTokenizer.Eos, PadTokenId = CharTokenizer.Pad };

    static int[] Ids(string s) => Tokenizer.EncodeToIds(s).ToArray();

    [Fact]
    public void Plain_text_is_all_targets_and_ends_with_eos()
    {
        var sequence = new Dataset([new TextExample("a cat.")]).Tokenize(Tokenizer, Options).Single();
        Assert.Equal([.. Ids("a cat."), CharTokenizer.Eos], sequence.Ids);
        Assert.Equal(sequence.Ids, sequence.Labels);
    }

    [Fact]
    public void Prompt_tokens_are_masked_out_of_the_loss()
    {
        var sequence = new Dataset([new PromptCompletionExample("q: sun?", "yes")]).Tokenize(Tokenizer, Options).Single();
        var prompt = Ids("q: sun?");
        Assert.Equal([.. prompt, .. Ids("yes"), CharTokenizer.Eos], sequence.Ids);
        Assert.All(sequence.Labels[..prompt.Length], l => Assert.Equal(TokenizedSequence.Ignore, l));
        Assert.Equal([.. Ids("yes"), CharTokenizer.Eos], sequence.Labels[prompt.Length..]);
        Assert.Equal(4, sequence.TargetCount);
    }

    [Fact]
    public void Chat_is_rendered_through_the_template_and_only_assistant_turns_are_targets()
    {
        var template = new ChatTemplate(
            "{% for m in messages %}{{ m.role }}: {{ m.content }}.{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}");
        var chat = new ChatExample([new ExampleMessage("user", "hi"), new ExampleMessage("assistant", "yo"), new ExampleMessage("user", "ok")]);
        var sequence = new Dataset([chat]).Tokenize(Tokenizer, Options with { ChatTemplate = template, EosTokenId = null }).Single();

        Assert.Equal("user: hi.assistant: yo.user: ok.", Tokenizer.Decode(sequence.Ids));
        var targets = sequence.Ids.Where((_, i) => sequence.Labels[i] != TokenizedSequence.Ignore).ToArray();
        Assert.Equal("yo.", Tokenizer.Decode(targets));
    }

    [Fact]
    public void Long_examples_are_truncated_and_examples_left_with_nothing_to_predict_are_dropped()
    {
        var data = new Dataset([new TextExample("abcdefghij"), new PromptCompletionExample("a long prompt", "x")]);
        var tokenized = data.Tokenize(Tokenizer, Options with { MaxLength = 4 });
        Assert.Equal(Ids("abcd"), tokenized.Single().Ids);
        Assert.Equal(1, tokenized.DroppedExamples);
    }

    [Fact]
    public void Packing_cuts_the_concatenated_stream_into_full_length_sequences()
    {
        var data = new Dataset(ToyCorpus.Sentences(10, seed: 1).Select(s => new TextExample(s)));
        var plain = data.Tokenize(Tokenizer, Options);
        var packed = data.Tokenize(Tokenizer, Options with { Pack = true, MaxLength = 64 });

        Assert.All(packed.Take(packed.Count - 1), s => Assert.Equal(64, s.Length));
        Assert.InRange(packed[^1].Length, 1, 64);
        Assert.Equal(plain.SelectMany(s => s.Ids), packed.SelectMany(s => s.Ids));
        Assert.Equal(plain.SelectMany(s => s.Labels), packed.SelectMany(s => s.Labels));
        Assert.True(packed.Count < plain.Count);
    }
}
