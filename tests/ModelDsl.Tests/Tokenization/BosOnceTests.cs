using System.Linq;
using ModelDsl.Data;
using ModelDsl.Generation;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Tokenization;

/// <summary>
/// "BOS exactly once": every path that turns text into a sequence (training data, generation prompts, label scoring)
/// gives the ids the Rust reference gives for <c>encode(prompt, add_special_tokens=True)</c> followed by the rest
/// encoded without special tokens: one leading BOS for Llama 3 and Gemma, none for Qwen 2.5.
/// </summary>
public sealed class BosOnceTests
{
    const string Prompt = "Q: Is the café open on Sundays? 🍰\nA:";
    const string Completion = " Yes, from 9 to 17.";

    [Theory]
    [InlineData("llama3_2", 128000)]
    [InlineData("gemma", 2)]
    [InlineData("qwen2_5", null)]
    public void Prompt_completion_pair_is_one_sequence_with_the_reference_ids(string model, int? bos)
    {
        var tokenizer = TokenizerFixtures.Load(model);
        var reference = TokenizerFixtures.Reference(model);
        const int eos = 7;
        var sequence = new Dataset([new PromptCompletionExample(Prompt, Completion)])
            .Tokenize(tokenizer, new TokenizationOptions { EosTokenId = eos }).Single();

        var prompt = reference.Encode(Prompt, addSpecialTokens: true);
        var completion = reference.Encode(Completion, addSpecialTokens: false);
        Assert.Equal([.. prompt, .. completion, eos], sequence.Ids);
        Assert.Equal(bos is null ? 0 : 1, sequence.Ids.Count(id => id == bos));
        if (bos is not null) Assert.Equal(bos, sequence.Ids[0]);
        Assert.All(sequence.Labels[..prompt.Length], label => Assert.Equal(TokenizedSequence.Ignore, label));
        Assert.Equal([.. completion, eos], sequence.Labels[prompt.Length..]);
    }

    [Theory]
    [InlineData("llama3_2")]
    [InlineData("gemma")]
    [InlineData("qwen2_5")]
    public void Text_example_is_the_reference_sequence(string model)
    {
        var tokenizer = TokenizerFixtures.Load(model);
        var sequence = new Dataset([new TextExample(Prompt + Completion)]).Tokenize(tokenizer, new TokenizationOptions()).Single();
        // None of these post-processors appends an EOS, so with no EosTokenId the sequence is encode(text, True).
        Assert.Equal(TokenizerFixtures.Reference(model).Encode(Prompt + Completion, addSpecialTokens: true), sequence.Ids);
    }

    [Theory]
    [InlineData("llama3_2")]
    [InlineData("gemma")]
    [InlineData("qwen2_5")]
    public void Generation_prompt_is_the_reference_encoding_with_special_tokens(string model)
    {
        var tokenizer = TokenizerFixtures.Load(model);
        var expected = TokenizerFixtures.Reference(model).Encode(Prompt, addSpecialTokens: true);
        Assert.Equal(expected, tokenizer.EncodePrompt(Prompt));
        // Text that already starts with BOS (a rendered chat template, a pasted prompt) keeps its single BOS.
        var specials = SpecialTokens.Of(tokenizer);
        if (specials.BosText is { } bosText)
            Assert.Equal(expected, tokenizer.EncodePrompt(bosText + Prompt));
    }

    [Fact]
    public void Label_scores_cover_only_the_label_after_a_single_bos()
    {
        var tokenizer = TokenizerFixtures.Load("llama3_2");
        var reference = TokenizerFixtures.Reference("llama3_2");
        manual_seed(3);
        using var model = new LlamaForCausalLM(new LlamaConfig(Layers: 1, Dim: 8, Heads: 2, KvHeads: 1, Ffn: 16, Vocab: tokenizer.VocabularySize, Context: 64));
        model.eval();
        var generator = new TextGenerator(model, tokenizer);

        var score = generator.ScoreContinuations(Prompt, [" Yes"]).Single();
        var generated = generator.Generate(Prompt, new GenerationOptions { MaxNewTokens = 1 });

        var prompt = reference.Encode(Prompt, addSpecialTokens: true);
        var label = reference.Encode(" Yes", addSpecialTokens: false);
        Assert.Equal(label.Length, score.TokenCount);
        Assert.Equal(prompt.Length, generated.PromptTokens);
        // The same sum from one forward over the reference ids: log p(label_t | everything before it).
        int[] ids = [.. prompt, .. label];
        using var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]);
        using var logProbs = model.Forward(input, null).to_type(ScalarType.Float64).log_softmax(-1);
        var expected = 0.0;
        for (var t = prompt.Length; t < ids.Length; t++) expected += logProbs[0, t - 1, ids[t]].item<double>();
        Assert.Equal(expected, score.LogLikelihood, 4);
    }
}
