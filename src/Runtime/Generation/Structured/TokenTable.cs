using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// Every non-special token's bytes and a byte trie over them, built once per tokenizer. The trie is stored in
/// preorder: node <c>i</c> reads byte <see cref="Label"/>[i] at depth <see cref="Depth"/>[i], its subtree ends
/// before <see cref="SubtreeEnd"/>[i], so a walk that meets a dead byte skips the whole subtree with one jump.
/// </summary>
internal sealed class TokenTable
{
    static readonly ConditionalWeakTable<Tokenizer, TokenTable> Cache = new();

    readonly byte[]?[] _bytes;

    /// <summary>The cached table of <paramref name="tokenizer"/>.</summary>
    public static TokenTable For(Tokenizer tokenizer) => Cache.GetValue(tokenizer, t => new TokenTable(TokenBytes.For(t)));

    public TokenTable(ITokenBytes source)
    {
        Count = source.Count;
        _bytes = new byte[Count][];
        var tokens = new List<int>();
        for (var id = 0; id < Count; id++)
        {
            if (source.IsSpecialToken(id)) continue;
            var bytes = source.GetTokenBytes(id);
            if (bytes.Length == 0) continue;
            _bytes[id] = bytes;
            tokens.Add(id);
        }
        tokens.Sort((a, b) => _bytes[a].AsSpan().SequenceCompareTo(_bytes[b]) is var c and not 0 ? c : a.CompareTo(b));
        (Label, Depth, SubtreeEnd, FirstToken, TokenCount, SortedTokens) = BuildTrie(tokens);
        MaxDepth = 0;
        foreach (var d in Depth) MaxDepth = Math.Max(MaxDepth, d);
    }

    /// <summary>Ids run from 0 to <c>Count - 1</c>.</summary>
    public int Count { get; }

    /// <summary>The bytes of <paramref name="id"/>, or null for special tokens and ids outside the table.</summary>
    public byte[]? BytesOf(int id) => id >= 0 && id < Count ? _bytes[id] : null;

    public byte[] Label { get; }
    public int[] Depth { get; }
    public int[] SubtreeEnd { get; }
    public int[] FirstToken { get; }    // index into SortedTokens of the first token ending at the node
    public int[] TokenCount { get; }    // tokens ending at the node (several when ids share bytes)
    public int[] SortedTokens { get; }
    public int MaxDepth { get; }

    /// <summary>Node count, root (node 0) included.</summary>
    public int Nodes => Label.Length;

    (byte[], int[], int[], int[], int[], int[]) BuildTrie(List<int> sorted)
    {
        var label = new List<byte> { 0 };
        var depth = new List<int> { 0 };
        var end = new List<int> { 0 };
        var first = new List<int> { 0 };
        var count = new List<int> { 0 };
        var path = new List<int> { 0 };   // node at each depth on the current path
        byte[] previous = [];
        for (var k = 0; k < sorted.Count; k++)
        {
            var bytes = _bytes[sorted[k]]!;
            var common = bytes.AsSpan().CommonPrefixLength(previous);
            while (path.Count - 1 > common)
            {
                end[path[^1]] = label.Count;
                path.RemoveAt(path.Count - 1);
            }
            for (var d = common; d < bytes.Length; d++)
            {
                path.Add(label.Count);
                label.Add(bytes[d]);
                depth.Add(d + 1);
                end.Add(0);
                first.Add(0);
                count.Add(0);
            }
            var node = path[^1];
            if (count[node]++ == 0) first[node] = k;
            previous = bytes;
        }
        while (path.Count > 0)
        {
            end[path[^1]] = label.Count;
            path.RemoveAt(path.Count - 1);
        }
        return (label.ToArray(), depth.ToArray(), end.ToArray(), first.ToArray(), count.ToArray(), sorted.ToArray());
    }
}
