using System.Linq;
using CsCheck;
using Xunit;

namespace ModelDsl.Tests.Tokenization;

/// <summary>
/// Random text from a mix of alphabets — scripts, combining marks, emoji and joiners, astral letters, whitespace runs,
/// digits, punctuation and each model's special-token strings — encodes to the reference's ids (with and without
/// special tokens) and decodes back as the reference does. CsCheck prints the seed of a failure.
/// </summary>
public sealed class HuggingFacePropertyTests
{
    const int Cases = 300;

    static readonly string[] Atoms =
    [
        "a", "b", "z", "A", "Q", "é", "ß", "ñ", "ø", "I", "İ", "ı", "ſ", "K",
        "д", "Ж", "я", "中", "文", "日", "本", "가", "힣", "ㄱ", "あ", "カ", "ｶ", "ﾞ", "ا", "ب", "ש", "क", "ि", "्", "ก", "ั", "α", "Ω",
        "\u0301", "\u0308", "\u0327", "\u20dd", "\u200d", "\u200c", "\ufe0f", "\u200b",
        "😀", "👍", "🏽", "👨", "👩", "🇫", "🇷", "🏳", "🌈", "𝐀", "𝔘", "𠀀", "𝟙", "\U000F0000",
        " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", "\u00a0", "\u3000", "\u2028",
        "0", "1", "7", "12", "345", "٣", "१", "½", "①",
        ".", ",", "!", "?", "'", "’", "\"", "-", "_", "(", ")", "{", "}", "[", "]", "<", ">", "|", "/", "\\", "#", "@", "$", "%", "&", "*", "=", "+", "~", "`", ";", ":",
        "'s", "'t", "'re", "'ll", "n't", "the", " the", "ing", "tion", "ﬁ", "Ġ", "▁", "<0x41>",
        "<s>", "</s>", "<unk>", "<pad>", "<bos>", "<eos>", "<|endoftext|>", "<|begin_of_text|>", "<|eot_id|>", "<|im_start|>",
        "<|im_end|>", "<tool_call>", "<start_of_turn>", "<end_of_turn>", "<mask>", "[INST]",
    ];

    static readonly Gen<string> Texts = Gen.Int[0, Atoms.Length - 1].Array[0, 24].Select(indices => string.Concat(indices.Select(i => Atoms[i])));

    public static TheoryData<string> Models => new(TokenizerFixtures.Models);

    [Theory]
    [MemberData(nameof(Models))]
    public void Random_text_encodes_and_decodes_as_the_reference_does(string model)
    {
        var ours = TokenizerFixtures.Load(model);
        var reference = TokenizerFixtures.Reference(model);
        var cleanUp = ours.Config!.CleanUpTokenizationSpaces;
        Texts.Sample(text =>
        {
            foreach (var add in new[] { true, false })
                Assert.True(reference.Encode(text, add).SequenceEqual(ours.Encode(text, add)),
                    HuggingFaceReferenceTests.Describe(model, text, add, reference, ours));
            var ids = reference.Encode(text, true);
            foreach (var skip in new[] { true, false })
            {
                var expected = reference.Decode(ids, skip);
                Assert.Equal(cleanUp ? HuggingFaceReferenceTests.TransformersCleanUp(expected) : expected, ours.Decode(ids, skip));
            }
        }, iter: Cases, threads: 1, print: text => System.Text.Json.JsonSerializer.Serialize(text));
    }
}
