using System.Collections.Generic;

namespace ModelDsl.Tokenization;

/// <summary>
/// One word under byte-pair merging, ported from the Rust library's <c>Word::merge_all</c>: a priority queue of
/// candidate merges ordered by (rank, position); stale candidates are skipped when the pair at their position no longer
/// produces the same token.
/// </summary>
internal sealed class BpeWord
{
    struct Symbol
    {
        public int Id, Prev, Next, Length;
        public bool Removed;
    }

    readonly List<Symbol> _symbols = new();

    public void Add(int id, int length)
    {
        var count = _symbols.Count;
        if (count > 0)
        {
            var last = _symbols[count - 1];
            last.Next = count;
            _symbols[count - 1] = last;
        }
        _symbols.Add(new Symbol { Id = id, Prev = count - 1, Next = -1, Length = length });
    }

    public void MergeAll(Dictionary<long, (int Rank, int NewId)> merges)
    {
        var symbols = _symbols;
        var queue = new PriorityQueue<(int Position, int NewId), long>(symbols.Count);
        for (var i = 0; i + 1 < symbols.Count; i++)
            if (merges.TryGetValue(Pair(symbols[i].Id, symbols[i + 1].Id), out var merge))
                queue.Enqueue((i, merge.NewId), Priority(merge.Rank, i));

        while (queue.TryDequeue(out var top, out _))
        {
            var current = symbols[top.Position];
            if (current.Removed || current.Next == -1) continue;
            var right = symbols[current.Next];
            if (!merges.TryGetValue(Pair(current.Id, right.Id), out var check) || check.NewId != top.NewId) continue;

            var nextPosition = current.Next;
            current.Id = top.NewId;
            current.Length += right.Length;
            current.Next = right.Next;
            symbols[top.Position] = current;
            right.Removed = true;
            symbols[nextPosition] = right;
            if (current.Next > -1 && current.Next < symbols.Count)
            {
                var after = symbols[current.Next];
                after.Prev = top.Position;
                symbols[current.Next] = after;
            }

            if (current.Prev >= 0 && merges.TryGetValue(Pair(symbols[current.Prev].Id, current.Id), out var before))
                queue.Enqueue((current.Prev, before.NewId), Priority(before.Rank, current.Prev));
            if (current.Next > -1 && current.Next < symbols.Count
                && merges.TryGetValue(Pair(current.Id, symbols[current.Next].Id), out var following))
                queue.Enqueue((top.Position, following.NewId), Priority(following.Rank, top.Position));
        }
        symbols.RemoveAll(s => s.Removed);
    }

    public static long Pair(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>
    /// Hashes a pair key by multiplying (Fibonacci hashing): <c>long.GetHashCode</c> XORs the two halves, which would
    /// put (a, b) and every pair with the same XOR in one bucket and make loading and merging quadratic.
    /// </summary>
    public static readonly IEqualityComparer<long> PairComparer = new MixingComparer();

    sealed class MixingComparer : IEqualityComparer<long>
    {
        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long value) => (int)(((ulong)value * 0x9E3779B97F4A7C15UL) >> 32);
    }

    static long Priority(int rank, int position) => ((long)rank << 32) | (uint)position;

    /// <summary>Token ids and their lengths (UTF-16 units of the word; a byte-fallback token after the first of its character has 0).</summary>
    public (int[] Ids, int[] Lengths) Result()
    {
        var ids = new int[_symbols.Count];
        var lengths = new int[_symbols.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = _symbols[i].Id;
            lengths[i] = _symbols[i].Length;
        }
        return (ids, lengths);
    }
}
