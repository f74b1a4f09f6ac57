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
    /// The ids of a prompt the model continues: <paramref name="text"/> as <see cref="EncodeText"/> encodes it, preceded
    /// by the tokenizer's BOS when it adds one (<see cref="SpecialTokens.AddsBos"/>) and the text does not already start
    /// with it (text rendered by a chat template that writes BOS itself keeps its single BOS). Never ends with EOS: the
    /// sequence is to be continued.
    /// </summary>
    public static IReadOnlyList<int> EncodePrompt(this Tokenizer tokenizer, string text) =>
        WithBos(tokenizer.EncodeText(text), SpecialTokens.Of(tokenizer));

    /// <summary><paramref name="ids"/> preceded by BOS once when <paramref name="specials"/> says sequences start with it.</summary>
    internal static IReadOnlyList<int> WithBos(IReadOnlyList<int> ids, SpecialTokens specials)
    {
        if (!specials.AddsBos || specials.BosId is not { } bos || ids.Count > 0 && ids[0] == bos) return ids;
        var sequence = new List<int>(ids.Count + 1) { bos };
        sequence.AddRange(ids);
        return sequence;
    }

    /// <summary>
    /// One more than the largest id <paramref name="tokenizer"/> can produce, or <see langword="null"/> when it does not say.
    /// </summary>
    internal static long? VocabularySize(this Tokenizer tokenizer) => tokenizer switch
    {
        HuggingFaceTokenizer t => t.VocabularySize,
        SentencePieceTokenizer t => Size(t.Vocabulary.Values, t.SpecialTokens?.Values),
        CodeGenTokenizer t => Size(t.Vocabulary.Values, t.SpecialTokens?.Values),
        BpeTokenizer t => Size(t.Vocabulary.Values, t.SpecialTokens?.Values),
        // Tiktoken does not expose its ranks; its special tokens follow them (GPT-2's <|endoftext|> is 50256, the last id).
        TiktokenTokenizer { SpecialTokens.Count: > 0 } t => Size([], t.SpecialTokens.Values),
        _ => null,
    };

    static long Size(IEnumerable<int> vocabulary, IEnumerable<int>? special) =>
        (long)vocabulary.Concat(special ?? []).DefaultIfEmpty(-1).Max() + 1;

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
