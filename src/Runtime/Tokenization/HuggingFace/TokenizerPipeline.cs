using System;
using System.Collections.Generic;

namespace ModelDsl.Tokenization;

/// <summary>
/// Encoding as the Rust <c>tokenizers</c> library does it, without post-processing: added tokens are cut out of the
/// raw text, each remaining piece is normalized, normalized added tokens are cut out of it, the pre-tokenizer splits
/// what is left, and the BPE model tokenizes each word. Every token carries its range in the caller's text.
/// </summary>
internal sealed class TokenizerPipeline(
    BpeModel model, AddedVocabulary added, ITextNormalizer? normalizer, IPreTokenizerStep? preTokenizer)
{
    public List<(int Id, int Start, int End)> Encode(string text, bool normalize = true, bool preTokenize = true)
    {
        RequireWellFormed(text);
        var tokens = new List<(int, int, int)>();
        foreach (var (start, end, token) in added.Split(text, normalizedTrie: false))
        {
            if (token is not null)
            {
                tokens.Add((token.Id, start, end));
                continue;
            }
            if (start == end) continue;
            var piece = NormalizedText.FromOriginal(text, start, end - start);
            if (normalize && normalizer is not null) piece = normalizer.Normalize(piece);
            if (piece.Length == 0) continue;
            foreach (var (s, e, normalizedToken) in added.Split(piece.Text, normalizedTrie: true))
            {
                if (normalizedToken is not null)
                {
                    var range = piece.OriginalRange(s, e);
                    tokens.Add((normalizedToken.Id, range.Start, range.End));
                }
                else if (e > s) Tokenize(piece.Slice(s, e), preTokenize, tokens);
            }
        }
        return tokens;
    }

    void Tokenize(NormalizedText piece, bool preTokenize, List<(int, int, int)> tokens)
    {
        var words = new List<NormalizedText> { piece };
        if (preTokenize) preTokenizer?.PreTokenize(words);
        foreach (var word in words)
        {
            var (ids, lengths) = model.Tokenize(word.Text);
            var position = 0;
            for (var i = 0; i < ids.Length; i++)
            {
                var range = word.OriginalRange(position, position + lengths[i]);
                tokens.Add((ids[i], range.Start, range.End));
                position += lengths[i];
            }
        }
    }

    /// <summary>An unpaired surrogate has no UTF-8 form; the Rust library (and Python) cannot take such text either.</summary>
    static void RequireWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            throw new ArgumentException($"The text has an unpaired UTF-16 surrogate (U+{(int)text[i]:X4}) at index {i}; it cannot be encoded as UTF-8.", nameof(text));
        }
    }
}
