using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Tokenization;

/// <summary>
/// Encoding with special tokens under the SDK's control, the same way for every tokenizer it can load: text alone never
/// gets special tokens; a whole sequence gets them once, as <see cref="SpecialTokens.Of"/> says.
/// </summary>
public static class TokenizerExtensions
{
    /// <summary>
    /// The ids of <paramref name="text"/> without any special token added (a special-token string written inside the
    /// text still becomes its id for Hugging Face tokenizers, as in Hugging Face).
    /// </summary>
    public static IReadOnlyList<int> EncodeText(this Tokenizer tokenizer, string text)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(text);
        return tokenizer switch
        {
            HuggingFaceTokenizer hf => hf.Encode(text, addSpecialTokens: false),
            SentencePieceTokenizer sp => sp.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false),
            CodeGenTokenizer cg => cg.EncodeToIds(text, cg.AddPrefixSpace, addBeginningOfSentence: false, addEndOfSentence: false),
            _ => tokenizer.EncodeToIds(text),
        };
    }

    /// <summary>
    /// The ids of a whole sequence: with <paramref name="addSpecialTokens"/> the tokenizer's BOS and/or EOS are added once
    /// (Hugging Face tokenizers run their post-processor, exactly as <c>encode(text, add_special_tokens=True)</c>);
    /// without, the same as <see cref="EncodeText"/>.
    /// </summary>
    public static IReadOnlyList<int> EncodeSequence(this Tokenizer tokenizer, string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer is HuggingFaceTokenizer hf)
        {
            ArgumentNullException.ThrowIfNull(text);
            return hf.Encode(text, addSpecialTokens);
        }
        var ids = tokenizer.EncodeText(text);
        if (!addSpecialTokens) return ids;
        var specials = SpecialTokens.Of(tokenizer);
        var sequence = new List<int>(ids.Count + 2);
        if (specials.AddsBos && specials.BosId is { } bos) sequence.Add(bos);
        sequence.AddRange(ids);
        if (specials.AddsEos && specials.EosIds.Count > 0) sequence.Add(specials.EosIds[0]);
        return sequence;
    }
}
