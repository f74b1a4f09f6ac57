using System;
using System.Collections.Generic;

namespace ModelDsl.Tokenization;

/// <summary>One entry of <c>added_tokens</c> in <c>tokenizer.json</c>.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Content">Its text.</param>
/// <param name="Special">Whether it is a special token (skipped when decoding with skipSpecialTokens).</param>
/// <param name="SingleWord">Matched only when not inside a word.</param>
/// <param name="LeftStrip">Takes the whitespace before it.</param>
/// <param name="RightStrip">Takes the whitespace after it.</param>
/// <param name="Normalized">Matched in the normalized text (true) or in the raw text (false).</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord, bool LeftStrip, bool RightStrip, bool Normalized);

/// <summary>
/// The added tokens and how they are cut out of the text before the model runs, as the Rust library's
/// <c>AddedVocabulary</c> does: tokens with <c>normalized: false</c> are found in the raw text, then each remaining
/// piece is normalized and tokens with <c>normalized: true</c> are found in it (their content normalized the same way).
/// Matching is leftmost-longest and non-overlapping; <c>single_word</c>, <c>lstrip</c> and <c>rstrip</c> apply per match.
/// </summary>
internal sealed class AddedVocabulary
{
    sealed class TrieNode
    {
        public Dictionary<char, TrieNode>? Children;
        public AddedToken? Token;
    }

    readonly TrieNode _raw = new(), _normalized = new();
    readonly Dictionary<int, AddedToken> _byId = new();
    readonly Dictionary<string, AddedToken> _byContent = new(StringComparer.Ordinal);

    public AddedVocabulary(IReadOnlyList<AddedToken> tokens, ITextNormalizer? normalizer)
    {
        foreach (var token in tokens)
        {
            _byId[token.Id] = token;
            _byContent[token.Content] = token;
        }
        // The Rust library builds its tries from the special tokens first, then the others, each in file order; for
        // two tokens with the same text the first wins.
        foreach (var special in new[] { true, false })
            foreach (var token in tokens)
            {
                if (token.Special != special) continue;
                if (token.Normalized)
                {
                    var pattern = normalizer?.Normalize(NormalizedText.FromOriginal(token.Content, 0, token.Content.Length)).Text ?? token.Content;
                    Insert(_normalized, pattern, token);
                }
                else Insert(_raw, token.Content, token);
            }
    }

    public IReadOnlyCollection<AddedToken> Tokens => _byId.Values;

    public bool TryGet(int id, out AddedToken token) => _byId.TryGetValue(id, out token!);

    public bool TryGet(string content, out AddedToken token) => _byContent.TryGetValue(content, out token!);

    static void Insert(TrieNode root, string pattern, AddedToken token)
    {
        if (pattern.Length == 0) return;
        var node = root;
        foreach (var c in pattern)
        {
            node.Children ??= new Dictionary<char, TrieNode>();
            if (!node.Children.TryGetValue(c, out var child)) node.Children[c] = child = new TrieNode();
            node = child;
        }
        node.Token ??= token;
    }

    /// <summary>Pieces of <paramref name="text"/> (start, end, token or null) for the raw or the normalized trie.</summary>
    public List<(int Start, int End, AddedToken? Token)> Split(string text, bool normalizedTrie)
    {
        var root = normalizedTrie ? _normalized : _raw;
        var pieces = new List<(int, int, AddedToken?)>();
        if (text.Length == 0 || root.Children is null)
        {
            pieces.Add((0, text.Length, null));
            return pieces;
        }
        var startOffset = 0;
        for (var position = 0; position < text.Length;)
        {
            var (token, length) = LongestAt(root, text, position);
            if (token is null)
            {
                position++;
                continue;
            }
            int start = position, stop = position + length;
            position = stop;
            if (token.SingleWord)
            {
                var startSpace = start == 0 || !EndsWithWord(text, start);
                var stopSpace = stop == text.Length || !StartsWithWord(text, stop);
                if (!startSpace || !stopSpace) continue;
            }
            if (token.LeftStrip)
            {
                var newStart = start;
                while (newStart > 0 && char.IsWhiteSpace(text[newStart - 1])) newStart--;
                start = Math.Max(newStart, startOffset);
            }
            if (token.RightStrip)
                while (stop < text.Length && char.IsWhiteSpace(text[stop])) stop++;
            if (startOffset < start) pieces.Add((startOffset, start, null));
            pieces.Add((start, stop, token));
            startOffset = stop;
        }
        if (startOffset != text.Length) pieces.Add((startOffset, text.Length, null));
        return pieces;
    }

    static (AddedToken? Token, int Length) LongestAt(TrieNode root, string text, int position)
    {
        AddedToken? best = null;
        var bestLength = 0;
        var node = root;
        for (var i = position; i < text.Length; i++)
        {
            if (node.Children is null || !node.Children.TryGetValue(text[i], out node!)) break;
            if (node.Token is not null)
            {
                best = node.Token;
                bestLength = i - position + 1;
            }
        }
        return (best, bestLength);
    }

    static bool EndsWithWord(string text, int end)
    {
        var codePoint = char.IsLowSurrogate(text[end - 1]) && end >= 2 ? char.ConvertToUtf32(text[end - 2], text[end - 1]) : text[end - 1];
        return PreTokenizerSteps.IsRustWordCharacter(codePoint);
    }

    static bool StartsWithWord(string text, int start) =>
        PreTokenizerSteps.IsRustWordCharacter(char.ConvertToUtf32(text, start));
}
