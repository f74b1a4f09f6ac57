using System;
using System.Collections.Generic;
using System.Numerics;
using static TorchSharp.torch;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// The blocked-token mask of an allowed-token set as a ready <c>[V]</c> bool tensor (true = blocked), built once per set
/// and end-of-sequence choice and reused by every step that meets it, so a constrained step costs a lookup and one
/// <c>masked_fill</c> instead of filling and copying a <c>[B, V]</c> array. Only the sets a state keeps for any budget
/// are cached (their number is bounded by the automaton's states); budget-limited sets are rare and built when met.
/// Thread-safe; the tensors live on the CPU, outside any dispose scope, as long as this object.
/// </summary>
internal sealed class BlockedTokenTensors
{
    readonly int _vocabulary;
    readonly object _gate = new();
    readonly Dictionary<(ulong[] Bits, int EndOfSequence), Tensor> _cache = new(new KeyComparer());

    public BlockedTokenTensors(int vocabularySize)
    {
        _vocabulary = vocabularySize;
        using var scope = NewDisposeScope();
        NoneBlocked = zeros(vocabularySize, dtype: ScalarType.Bool).DetachFromDisposeScope();   // (V)
    }

    /// <summary>A mask that blocks nothing (for a row that has ended: its token is ignored, but softmax needs something finite).</summary>
    public Tensor NoneBlocked { get; }

    /// <summary>The mask blocking every token outside <paramref name="allowed"/> except <paramref name="endOfSequence"/> (−1 for none).</summary>
    public Tensor Get(ulong[] allowed, int endOfSequence)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue((allowed, endOfSequence), out var cached)) return cached;
            var built = Build(allowed, endOfSequence, _vocabulary);
            _cache[(allowed, endOfSequence)] = built;
            return built;
        }
    }

    /// <summary>A new mask tensor (not in any dispose scope) for <paramref name="allowed"/> plus <paramref name="endOfSequence"/>.</summary>
    /// <exception cref="InvalidOperationException">Nothing would be allowed.</exception>
    public static Tensor Build(ulong[] allowed, int endOfSequence, int vocabulary)
    {
        var blocked = new bool[vocabulary];
        Array.Fill(blocked, true);
        var any = false;
        for (var word = 0; word < allowed.Length; word++)
        {
            var start = word << 6;
            for (var x = allowed[word]; x != 0; x &= x - 1)
            {
                blocked[start + BitOperations.TrailingZeroCount(x)] = false;
                any = true;
            }
        }
        if (endOfSequence >= 0)
        {
            blocked[endOfSequence] = false;
            any = true;
        }
        if (!any) throw new InvalidOperationException("A constrained row has no allowed token; this is a bug in the budget rule.");
        using var scope = NewDisposeScope();
        return tensor(blocked, [vocabulary]).DetachFromDisposeScope();   // (V)
    }

    // The allowed sets are the cached arrays of TokenMasks: compare them by reference, not by content.
    sealed class KeyComparer : IEqualityComparer<(ulong[] Bits, int EndOfSequence)>
    {
        public bool Equals((ulong[] Bits, int EndOfSequence) x, (ulong[] Bits, int EndOfSequence) y) =>
            ReferenceEquals(x.Bits, y.Bits) && x.EndOfSequence == y.EndOfSequence;

        public int GetHashCode((ulong[] Bits, int EndOfSequence) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Bits), key.EndOfSequence);
    }
}
