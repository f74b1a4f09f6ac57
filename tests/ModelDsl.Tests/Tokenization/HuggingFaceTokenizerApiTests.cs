using System;
using System.Buffers;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.ML.Tokenizers;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Tokenization;

/// <summary>The rest of <see cref="HuggingFaceTokenizer"/>'s surface: token bytes for constrained decoding, offsets, truncation, threads.</summary>
public sealed class HuggingFaceTokenizerApiTests
{
    // Texts without special-token strings: their tokens, read back as bytes in order, must give the text itself.
    static readonly string[] PlainTexts = TokenizerCorpus.Common.Where(t => !t.Contains('<') && !t.Contains('[')).ToArray();

    [Theory]
    [InlineData("llama3_2", "")]
    [InlineData("qwen3", "", true)]   // Qwen's normalizer is NFC
    [InlineData("mistral_nemo", "")]
    [InlineData("gpt2", "")]
    [InlineData("gemma", "")]
    [InlineData("gemma3", "")]
    [InlineData("llama2", " ")]   // Llama 2 prepends ▁ to the text, which is a space in the middle of a sequence
    public void Token_bytes_concatenate_to_the_text(string model, string prefix, bool nfc = false)
    {
        var tokenizer = TokenizerFixtures.Load(model);
        foreach (var text in PlainTexts)
        {
            var bytes = tokenizer.EncodeText(text).SelectMany(tokenizer.GetTokenBytes).ToArray();
            var expected = text.Length == 0 ? "" : prefix + text;
            Assert.Equal(Encoding.UTF8.GetBytes(nfc ? expected.Normalize(NormalizationForm.FormC) : expected), bytes);
        }
    }

    [Fact]
    public void Token_bytes_of_byte_and_special_tokens()
    {
        var gemma = TokenizerFixtures.Load("gemma");
        Assert.Equal(new byte[] { 0x41 }, gemma.GetTokenBytes(gemma.TokenToId("<0x41>")!.Value));
        Assert.Equal(new byte[] { 0xE4 }, gemma.GetTokenBytes(gemma.TokenToId("<0xE4>")!.Value));   // half a character: the raw byte
        Assert.Equal(" world"u8.ToArray(), gemma.GetTokenBytes(gemma.TokenToId("▁world")!.Value));
        Assert.Equal("<bos>"u8.ToArray(), gemma.GetTokenBytes(2));
        Assert.True(gemma.IsSpecialToken(2));
        Assert.False(gemma.IsSpecialToken(gemma.TokenToId("▁world")!.Value));

        var llama3 = TokenizerFixtures.Load("llama3_2");
        Assert.Equal(" world"u8.ToArray(), llama3.GetTokenBytes(1917));
        Assert.Equal(new byte[] { 0xF0 }, llama3.GetTokenBytes(llama3.TokenToId("ð")!.Value));   // byte-level: one byte of an emoji
        Assert.True(llama3.IsSpecialToken(128009));
        Assert.Throws<ArgumentOutOfRangeException>(() => llama3.GetTokenBytes(llama3.VocabularySize));

        var qwen = TokenizerFixtures.Load("qwen2_5");
        var toolCall = qwen.TokenToId("<tool_call>")!.Value;
        Assert.True(qwen.IsAddedToken(toolCall));
        Assert.False(qwen.IsSpecialToken(toolCall));
        Assert.Equal("<tool_call>", qwen.Decode([toolCall], skipSpecialTokens: true));   // not special, so never skipped
    }

    [Theory]
    [InlineData("llama3_2")]
    [InlineData("gemma3")]
    [InlineData("llama2")]
    public void Offsets_cover_the_text_each_token_came_from(string model)
    {
        var tokenizer = TokenizerFixtures.Load(model);
        const string text = "Hello world, 123 tokens.\nNew line";
        var tokens = tokenizer.EncodeToTokens(text, out var normalized);
        Assert.Null(normalized);
        Assert.Equal(tokenizer.EncodeToIds(text), tokens.Select(t => t.Id));
        foreach (var token in tokens)
        {
            // ASCII text: each token decodes to its slice of the input (a lone token's leading space may be stripped by
            // the decoder, as Llama 2's does, so leading spaces are not compared).
            Assert.Equal(text[token.Offset].TrimStart(' '), tokenizer.Decode([token.Id]).TrimStart(' '));
        }
        Assert.Equal(0, tokens[0].Offset.Start.Value);
        Assert.Equal(text.Length, tokens[^1].Offset.End.Value);
    }

    [Fact]
    public void Truncation_keeps_whole_characters()
    {
        var llama3 = TokenizerFixtures.Load("llama3_2");
        const string text = "Hello world and more";
        var all = llama3.EncodeToIds(text);
        var two = llama3.EncodeToIds(text, 2, out _, out var consumed);
        Assert.Equal(all.Take(2), two);
        Assert.Equal("Hello world".Length, consumed);
        Assert.Equal("Hello world".Length, llama3.GetIndexByTokenCount(text, 2, out _, out var count));
        Assert.Equal(2, count);
        Assert.Equal(" and more".Length, text.Length - llama3.GetIndexByTokenCountFromEnd(text, 2, out _, out count));

        // "😀" is one character but four byte-level bytes in Llama 3; a cut never falls inside it.
        var emoji = "😀";
        var emojiTokens = llama3.EncodeToIds(emoji);
        Assert.True(emojiTokens.Count > 1);
        Assert.Empty(llama3.EncodeToIds(emoji, 1, out _, out consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Decode_into_a_span_reports_what_fits()
    {
        var llama3 = TokenizerFixtures.Load("llama3_2");
        var ids = llama3.EncodeToIds("Hello world");
        var buffer = new char[8];
        Assert.Equal(OperationStatus.DestinationTooSmall, llama3.Decode(ids, buffer, out var used, out var written));
        Assert.Equal((1, 5), (used, written));
        Assert.Equal("Hello", new string(buffer, 0, written));
        var large = new char[64];
        Assert.Equal(OperationStatus.Done, llama3.Decode(ids, large, out used, out written));
        Assert.Equal("Hello world", new string(large, 0, written));
    }

    [Fact]
    public void Unpaired_surrogates_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => TokenizerFixtures.Load("gpt2").EncodeToIds("a\ud800b"));
        Assert.Contains("index 1", error.Message);
    }

    [Fact]
    public void Encoding_from_many_threads_gives_the_same_ids()
    {
        var qwen = TokenizerFixtures.Load("qwen3");
        var expected = TokenizerCorpus.Common.Select(t => qwen.EncodeToIds(t).ToArray()).ToArray();
        Parallel.For(0, 400, i =>
        {
            var k = i % TokenizerCorpus.Common.Length;
            Assert.Equal(expected[k], qwen.EncodeToIds(TokenizerCorpus.Common[k]));
        });
    }
}
