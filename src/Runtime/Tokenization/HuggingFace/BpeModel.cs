using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;

namespace ModelDsl.Tokenization;

/// <summary>
/// The <c>BPE</c> model of <c>tokenizer.json</c>, as the Rust library runs it: characters (with
/// <c>continuing_subword_prefix</c> / <c>end_of_word_suffix</c>) looked up in the vocabulary, unknown ones as
/// <c>&lt;0xNN&gt;</c> byte tokens when <c>byte_fallback</c> is set or as <c>unk_token</c> (fused runs with
/// <c>fuse_unk</c>), then merges by rank; with <c>ignore_merges</c> a word found whole in the vocabulary is one token.
/// Results are cached per word.
/// </summary>
internal sealed class BpeModel
{
    const int CacheCapacity = 100_000, MaxCachedWordLength = 256;

    readonly Dictionary<string, int> _vocabulary;
    readonly string?[] _tokenOfId;
    readonly Dictionary<long, (int Rank, int NewId)> _merges;
    readonly int? _unknownId;
    readonly string? _prefix, _suffix;
    readonly bool _fuseUnknown, _byteFallback, _ignoreMerges;
    readonly int[] _byteTokenIds;
    readonly ConcurrentDictionary<string, (int[] Ids, int[] Lengths)> _cache = new(StringComparer.Ordinal);

    public BpeModel(Dictionary<string, int> vocabulary, string?[] tokenOfId, Dictionary<long, (int Rank, int NewId)> merges,
        int? unknownId, string? prefix, string? suffix, bool fuseUnknown, bool byteFallback, bool ignoreMerges)
    {
        _vocabulary = vocabulary;
        _tokenOfId = tokenOfId;
        _merges = merges;
        _unknownId = unknownId;
        _prefix = prefix;
        _suffix = suffix;
        _fuseUnknown = fuseUnknown;
        _byteFallback = byteFallback;
        _ignoreMerges = ignoreMerges;
        _byteTokenIds = new int[256];
        for (var b = 0; b < 256; b++)
            _byteTokenIds[b] = vocabulary.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
    }

    public int VocabularySize => _vocabulary.Count;

    public IReadOnlyDictionary<string, int> Vocabulary => _vocabulary;

    public bool TryGetId(string token, out int id) => _vocabulary.TryGetValue(token, out id);

    public string? TokenOf(int id) => id >= 0 && id < _tokenOfId.Length ? _tokenOfId[id] : null;

    /// <summary>The tokens of one pre-tokenized word, with their lengths in UTF-16 units of the word.</summary>
    public (int[] Ids, int[] Lengths) Tokenize(string word)
    {
        if (word.Length == 0) return ([], []);
        if (_ignoreMerges && _vocabulary.TryGetValue(word, out var whole)) return ([whole], [word.Length]);
        if (_cache.TryGetValue(word, out var cached)) return cached;
        var result = Merge(word);
        if (word.Length < MaxCachedWordLength)
        {
            if (_cache.Count >= CacheCapacity) _cache.Clear();
            _cache.TryAdd(word, result);
        }
        return result;
    }

    (int[] Ids, int[] Lengths) Merge(string word)
    {
        var bpe = new BpeWord();
        (int Id, int Length)? unknown = null;
        for (var i = 0; i < word.Length;)
        {
            var width = char.IsHighSurrogate(word[i]) && i + 1 < word.Length ? 2 : 1;
            var piece = word.Substring(i, width);
            if (i > 0 && _prefix is not null) piece = _prefix + piece;
            if (i + width == word.Length && _suffix is not null) piece += _suffix;
            i += width;

            if (_vocabulary.TryGetValue(piece, out var id))
            {
                if (unknown is { } pending)
                {
                    bpe.Add(pending.Id, pending.Length);
                    unknown = null;
                }
                bpe.Add(id, width);
                continue;
            }
            if (_byteFallback && TryAddBytes(bpe, piece, width)) continue;   // a pending unknown stays pending, as in Rust
            if (_unknownId is { } unknownId)
            {
                if (unknown is { } pending)
                {
                    if (_fuseUnknown) { unknown = (pending.Id, pending.Length + width); continue; }
                    bpe.Add(pending.Id, pending.Length);
                }
                unknown = (unknownId, width);
            }
            // With no unk_token an unknown character produces no token, as in Rust.
        }
        if (unknown is { } last) bpe.Add(last.Id, last.Length);
        bpe.MergeAll(_merges);
        return bpe.Result();
    }

    bool TryAddBytes(BpeWord bpe, string piece, int width)
    {
        var bytes = Encoding.UTF8.GetBytes(piece);
        foreach (var b in bytes)
            if (_byteTokenIds[b] < 0) return false;
        for (var k = 0; k < bytes.Length; k++) bpe.Add(_byteTokenIds[bytes[k]], k == 0 ? width : 0);
        return true;
    }
}
