using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.Tests.IO;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Tokenization;

/// <summary>
/// "Special tokens are added once per sequence" for every tokenizer kind the SDK loads: what
/// <see cref="SpecialTokens.Of"/> reports and what <see cref="TokenizerExtensions.EncodeText"/> /
/// <see cref="TokenizerExtensions.EncodeSequence"/> produce.
/// </summary>
public sealed class SpecialTokensTests
{
    [Fact]
    public void Gpt2_tiktoken_has_no_bos_and_eos_50256_never_added()
    {
        var gpt2 = Tokenizers.Gpt2();
        var specials = SpecialTokens.Of(gpt2);
        Assert.Null(specials.BosId);
        Assert.Equal(new[] { 50256 }, specials.EosIds);
        Assert.Equal(new[] { "<|endoftext|>" }, specials.EosTexts);
        Assert.False(specials.AddsEos);
        Assert.Equal(new[] { 15496, 995 }, gpt2.EncodeText("Hello world"));
        Assert.Equal(new[] { 15496, 995 }, gpt2.EncodeSequence("Hello world", addSpecialTokens: true));
    }

    [Fact]
    public void Sentence_piece_model_adds_bos_once_per_sequence_and_never_to_text()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("tokenizer.model"), TokenizersTests.TinySentencePieceModel());
        var llama = Tokenizers.FromSentencePiece(dir.File("tokenizer.model"));
        var specials = SpecialTokens.Of(llama);
        Assert.Equal((1, "<s>", true), (specials.BosId, specials.BosText, specials.AddsBos));
        Assert.Equal(new[] { 2 }, specials.EosIds);
        Assert.False(specials.AddsEos);
        Assert.Equal((0, "<unk>"), (specials.UnkId, specials.UnkText));
        // The model's ids: ▁hello = 7, ▁world = 12 (SentencePieceModelBytes lists them).
        Assert.Equal(new[] { 7, 12 }, llama.EncodeText("hello world"));
        Assert.Equal(new[] { 1, 7, 12 }, llama.EncodeSequence("hello world", addSpecialTokens: true));
        Assert.Equal(new[] { 7, 12 }, llama.EncodeSequence("hello world", addSpecialTokens: false));
    }

    [Fact]
    public void Vocab_and_merges_tokenizer_adds_nothing()
    {
        using var dir = new TempDirectory();
        TokenizersTests.WriteBpeFiles(dir);
        var bpe = Tokenizers.FromBpeFiles(dir.File("vocab.json"), dir.File("merges.txt"));
        var specials = SpecialTokens.Of(bpe);
        Assert.False(specials.AddsBos);
        Assert.False(specials.AddsEos);
        Assert.Equal(17, specials.BosId);   // <|endoftext|> in the test vocabulary
        Assert.Equal(new[] { 17 }, specials.EosIds);
        Assert.Equal(new[] { 11, 16 }, bpe.EncodeText("Hello world"));
        Assert.Equal(new[] { 11, 16 }, bpe.EncodeSequence("Hello world", addSpecialTokens: true));
    }

    [Fact]
    public void Llama3_adds_begin_of_text_and_ends_turns_with_eot()
    {
        var llama3 = TokenizerFixtures.Load("llama3_2");
        var specials = SpecialTokens.Of(llama3);
        Assert.Equal((128000, "<|begin_of_text|>", true), (specials.BosId, specials.BosText, specials.AddsBos));
        Assert.Equal(new[] { 128009 }, specials.EosIds);
        Assert.False(specials.AddsEos);
        var text = llama3.EncodeText("Hello world");
        Assert.DoesNotContain(128000, text);
        Assert.Equal(new[] { 128000 }.Concat(text), llama3.EncodeSequence("Hello world", addSpecialTokens: true));
        Assert.Equal(text, llama3.EncodeToIds("Hello world"));   // the base API never adds special tokens
    }

    [Fact]
    public void Qwen_adds_nothing()
    {
        var qwen = TokenizerFixtures.Load("qwen2_5");
        var specials = SpecialTokens.Of(qwen);
        Assert.Null(specials.BosId);
        Assert.False(specials.AddsBos);
        Assert.Equal(new[] { 151645 }, specials.EosIds);   // <|im_end|>
        Assert.Equal((151643, "<|endoftext|>"), (specials.PadId, specials.PadText));
        Assert.Equal(qwen.EncodeText("Hello"), qwen.EncodeSequence("Hello", addSpecialTokens: true));
    }

    [Theory]
    [InlineData("gemma", 2, "<bos>", 1)]
    [InlineData("gemma3", 2, "<bos>", 106)]   // Gemma 3 ends turns with <end_of_turn>
    [InlineData("llama2", 1, "<s>", 2)]
    [InlineData("mistral_nemo", 1, "<s>", 2)]
    public void Bos_models_add_it_once(string model, int bos, string bosText, int eos)
    {
        var tokenizer = TokenizerFixtures.Load(model);
        var specials = SpecialTokens.Of(tokenizer);
        Assert.Equal((bos, bosText, true), (specials.BosId, specials.BosText, specials.AddsBos));
        Assert.Equal(new[] { eos }, specials.EosIds);
        var sequence = tokenizer.EncodeSequence("Hello world", addSpecialTokens: true);
        Assert.Equal(1, sequence.Count(id => id == bos));
        Assert.Equal(bos, sequence[0]);
        Assert.Equal(tokenizer.EncodeText("Hello world"), sequence.Skip(1));
    }

    sealed class CharacterTokenizer : Tokenizer
    {
        protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
        {
            var s = text ?? textSpan.ToString();
            return new EncodeResults<EncodedToken> { Tokens = s.Select((c, i) => new EncodedToken(c, c.ToString(), new Range(i, i + 1))).ToList(), CharsConsumed = s.Length };
        }

        public override System.Buffers.OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten) =>
            throw new NotSupportedException();
    }

    [Fact]
    public void Unknown_tokenizer_kind_has_no_specials()
    {
        var tokenizer = new CharacterTokenizer();
        Assert.Equal(SpecialTokens.None, SpecialTokens.Of(tokenizer));
        Assert.Equal(new[] { 104, 105 }, tokenizer.EncodeSequence("hi", addSpecialTokens: true));
    }
}
