using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Tokenization;

/// <summary>
/// What a tokenizer says about its vocabulary that generation and the command line need: the end-of-sequence id and
/// how many ids it can produce. The one place that knows how each Microsoft.ML.Tokenizers type exposes them (until a
/// special-tokens helper covers every tokenizer, this is the seam to replace); <see langword="null"/> where a tokenizer
/// does not say.
/// </summary>
internal static class TokenizerFacts
{
    /// <summary>End-of-text tokens of the byte-level BPE vocabularies (GPT-2, Qwen and Llama 3 style), in order of preference.</summary>
    static readonly string[] EndOfTextTokens = ["<|endoftext|>", "<|end_of_text|>", "</s>"];

    /// <summary>The id that ends a sequence, or <see langword="null"/> when the tokenizer does not name one.</summary>
    public static int? EndOfSequenceId(Tokenizer tokenizer) => tokenizer switch
    {
        SentencePieceTokenizer sentencePiece => sentencePiece.EndOfSentenceId,
        CodeGenTokenizer codeGen => codeGen.EndOfSentenceId ?? Find(codeGen.SpecialTokens, codeGen.Vocabulary),
        BpeTokenizer bpe => Find(bpe.SpecialTokens, bpe.Vocabulary),
        TiktokenTokenizer tiktoken => Find(tiktoken.SpecialTokens, null),
        _ => null,
    };

    /// <summary>One more than the largest id the tokenizer can produce, or <see langword="null"/> when it does not say.</summary>
    public static long? VocabularySize(Tokenizer tokenizer) => tokenizer switch
    {
        SentencePieceTokenizer t => Size(t.Vocabulary.Values, t.SpecialTokens?.Values),
        CodeGenTokenizer t => Size(t.Vocabulary.Values, t.SpecialTokens?.Values),
        BpeTokenizer t => Size(t.Vocabulary.Values, t.SpecialTokens?.Values),
        // Tiktoken does not expose its ranks; its special tokens follow them (GPT-2's <|endoftext|> is 50256, the last id).
        TiktokenTokenizer { SpecialTokens.Count: > 0 } t => Size([], t.SpecialTokens.Values),
        _ => null,
    };

    static int? Find(IReadOnlyDictionary<string, int>? special, IReadOnlyDictionary<string, int>? vocabulary)
    {
        foreach (var token in EndOfTextTokens)
        {
            if (special is not null && special.TryGetValue(token, out var id)) return id;
            if (vocabulary is not null && vocabulary.TryGetValue(token, out id)) return id;
        }
        return null;
    }

    static long Size(IEnumerable<int> vocabulary, IEnumerable<int>? special) =>
        (long)vocabulary.Concat(special ?? []).DefaultIfEmpty(-1).Max() + 1;
}
