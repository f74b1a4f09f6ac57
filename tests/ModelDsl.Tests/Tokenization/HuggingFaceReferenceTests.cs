using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Tokenization;

/// <summary>
/// Every fixture tokenizer against the Rust Hugging Face library on the corpus: the same ids with and without special
/// tokens, and the same text back.
/// </summary>
public sealed class HuggingFaceReferenceTests
{
    public static TheoryData<string> Models => new(TokenizerFixtures.Models);

    [Theory]
    [MemberData(nameof(Models))]
    public void Corpus_encodes_to_the_reference_ids_with_and_without_special_tokens(string model)
    {
        var ours = TokenizerFixtures.Load(model);
        var reference = TokenizerFixtures.Reference(model);
        foreach (var text in TokenizerCorpus.Common)
        {
            Assert.True(reference.Encode(text, true).SequenceEqual(ours.Encode(text, true)), Describe(model, text, true, reference, ours));
            Assert.True(reference.Encode(text, false).SequenceEqual(ours.Encode(text, false)), Describe(model, text, false, reference, ours));
            Assert.Equal(reference.Encode(text, false), ours.EncodeToIds(text));
            Assert.Equal(reference.Encode(text, false).Length, ours.CountTokens(text));
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Corpus_decodes_as_the_reference_does(string model)
    {
        var ours = TokenizerFixtures.Load(model);
        var bare = TokenizerFixtures.LoadWithoutConfig(model);
        var reference = TokenizerFixtures.Reference(model);
        var cleanUp = ours.Config!.CleanUpTokenizationSpaces;
        foreach (var text in TokenizerCorpus.Common)
        {
            var ids = reference.Encode(text, addSpecialTokens: true);
            foreach (var skip in new[] { true, false })
            {
                var expected = reference.Decode(ids, skip);
                Assert.Equal(expected, bare.Decode(ids, skip));
                // transformers applies clean_up_tokenization to the Rust library's output when the config says so.
                Assert.Equal(cleanUp ? TransformersCleanUp(expected) : expected, ours.Decode(ids, skip));
            }
        }
    }

    /// <summary>transformers 4.x <c>clean_up_tokenization</c>, written from its Python source (<c>str.replace</c> in this order).</summary>
    internal static string TransformersCleanUp(string s)
    {
        foreach (var (from, to) in new[] { (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                     (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re") })
            s = s.Replace(from, to, System.StringComparison.Ordinal);
        return s;
    }

    internal static string Describe(string model, string text, bool addSpecialTokens, ReferenceTokenizer reference, HuggingFaceTokenizer ours)
    {
        var expected = reference.Encode(text, addSpecialTokens);
        var actual = ours.Encode(text, addSpecialTokens);
        string Show(IEnumerable<int> ids) => string.Join(" ", ids.Select(id => $"{id}:{ours.IdToToken(id)}"));
        return $"{model} addSpecialTokens={addSpecialTokens} text={System.Text.Json.JsonSerializer.Serialize(text)}\n expected {Show(expected)}\n actual   {Show(actual)}";
    }
}
