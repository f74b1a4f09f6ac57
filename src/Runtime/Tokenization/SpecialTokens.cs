using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Tokenization;

/// <summary>
/// The special tokens of a tokenizer and whether a whole sequence carries them: <see cref="AddsBos"/> means a sequence
/// starts with <see cref="BosId"/>, <see cref="AddsEos"/> that it ends with the first of <see cref="EosIds"/>. The SDK
/// adds them once per sequence (<see cref="TokenizerExtensions.EncodeSequence"/>), whatever kind of tokenizer it holds.
/// </summary>
/// <param name="BosId">Beginning-of-sequence id, if the tokenizer has one.</param>
/// <param name="BosText">Its text.</param>
/// <param name="AddsBos">Whether a sequence starts with it.</param>
/// <param name="EosIds">End-of-sequence ids (generation stops at any of them); the first is the one appended.</param>
/// <param name="EosTexts">Their texts, in the same order.</param>
/// <param name="AddsEos">Whether a sequence ends with the first EOS.</param>
/// <param name="PadId">Padding id, if any.</param>
/// <param name="PadText">Its text.</param>
/// <param name="UnkId">Unknown-token id, if any.</param>
/// <param name="UnkText">Its text.</param>
public sealed record SpecialTokens(
    int? BosId, string? BosText, bool AddsBos,
    IReadOnlyList<int> EosIds, IReadOnlyList<string> EosTexts, bool AddsEos,
    int? PadId, string? PadText, int? UnkId, string? UnkText)
{
    /// <summary>No special tokens (a tokenizer of a kind this class does not know).</summary>
    public static SpecialTokens None { get; } = new(null, null, false, [], [], false, null, null, null, null);

    /// <summary>
    /// The special tokens of <paramref name="tokenizer"/>: from <c>tokenizer_config.json</c> and the post-processor for a
    /// <see cref="HuggingFaceTokenizer"/>; <c>&lt;|endoftext|&gt;</c> as EOS (never added) for GPT-2's tiktoken data;
    /// the model's BOS/EOS and their add flags for SentencePiece (<see cref="LlamaTokenizer"/>) and vocab+merges
    /// (<see cref="CodeGenTokenizer"/>) tokenizers; <see cref="None"/> for any other kind.
    /// </summary>
    public static SpecialTokens Of(Tokenizer tokenizer) => tokenizer switch
    {
        HuggingFaceTokenizer hf => OfHuggingFace(hf),
        SentencePieceTokenizer sp => new(sp.BeginningOfSentenceId, sp.BeginningOfSentenceToken, sp.AddBeginningOfSentence,
            [sp.EndOfSentenceId], [sp.EndOfSentenceToken], sp.AddEndOfSentence, null, null, sp.UnknownId, sp.UnknownToken),
        CodeGenTokenizer cg => new(cg.BeginningOfSentenceId, cg.BeginningOfSentenceToken, cg.AddBeginningOfSentence && cg.BeginningOfSentenceId is not null,
            cg.EndOfSentenceId is { } eos ? [eos] : [], cg.EndOfSentenceToken is { } eosText && cg.EndOfSentenceId is not null ? [eosText] : [],
            cg.AddEndOfSentence && cg.EndOfSentenceId is not null, null, null, cg.UnknownTokenId, cg.UnknownTokenId is null ? null : cg.UnknownToken),
        TiktokenTokenizer tt => OfTiktoken(tt),
        _ => None,
    };

    const string EndOfText = "<|endoftext|>";

    static SpecialTokens OfTiktoken(TiktokenTokenizer tokenizer) =>
        tokenizer.SpecialTokens is { } specials && specials.TryGetValue(EndOfText, out var id)
            ? None with { EosIds = [id], EosTexts = [EndOfText] }
            : None;

    static SpecialTokens OfHuggingFace(HuggingFaceTokenizer tokenizer)
    {
        var config = tokenizer.Config;
        (int?, string?) Named(string? text) => text is not null && tokenizer.TokenToId(text) is { } id ? (id, text) : (null, null);

        var (bosId, bosText) = Named(config?.BosToken);
        if (bosId is null && tokenizer.SequencePrefix.Count > 0)
            (bosId, bosText) = (tokenizer.SequencePrefix[0], tokenizer.IdToToken(tokenizer.SequencePrefix[0]));
        var (eosId, eosText) = Named(config?.EosToken);
        if (eosId is null && tokenizer.SequenceSuffix.Count > 0)
            (eosId, eosText) = (tokenizer.SequenceSuffix[^1], tokenizer.IdToToken(tokenizer.SequenceSuffix[^1]));
        var (padId, padText) = Named(config?.PadToken);
        var (unkId, unkText) = Named(config?.UnkToken);
        return new SpecialTokens(
            bosId, bosText, bosId is { } b && tokenizer.SequencePrefix.Contains(b),
            eosId is { } e ? [e] : [], eosText is { } t ? [t] : [], eosId is { } e2 && tokenizer.SequenceSuffix.Contains(e2),
            padId, padText, unkId, unkText);
    }
}
