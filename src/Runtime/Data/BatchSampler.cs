using System;
using System.Collections.Generic;

namespace ModelDsl.Data;

/// <summary>
/// Which sequences form each batch: epoch <c>e</c> visits the dataset in a permutation seeded by
/// <c>(seed, e)</c>, <see cref="BatchSize"/> at a time (the last batch of an epoch may be short). A batch is
/// addressed by its global index, so a resumed run finds its place from one number.
/// </summary>
public sealed class BatchSampler
{
    readonly int _count;
    readonly int _seed;
    readonly bool _shuffle;
    int _cachedEpoch = -1;
    int[] _order = [];

    /// <summary>Creates a sampler over <paramref name="count"/> sequences.</summary>
    public BatchSampler(int count, int batchSize, int seed, bool shuffle = true)
    {
        if (count < 1) throw new ArgumentException("The dataset is empty: there is nothing to train on.", nameof(count));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _count = count;
        BatchSize = batchSize;
        _seed = seed;
        _shuffle = shuffle;
        BatchesPerEpoch = (count + batchSize - 1) / batchSize;
    }

    /// <summary>Sequences per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Batches in one pass over the data.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The epoch (0-based) that global batch <paramref name="batchIndex"/> belongs to.</summary>
    public int EpochOf(long batchIndex) => checked((int)(batchIndex / BatchesPerEpoch));

    /// <summary>Dataset indices of global batch <paramref name="batchIndex"/>.</summary>
    public IReadOnlyList<int> Indices(long batchIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        var epoch = EpochOf(batchIndex);
        if (epoch != _cachedEpoch)
        {
            _order = _shuffle ? Shuffler.Permutation(_count, EpochSeed(_seed, epoch)) : Identity(_count);
            _cachedEpoch = epoch;
        }
        var start = (int)(batchIndex % BatchesPerEpoch) * BatchSize;
        var end = Math.Min(start + BatchSize, _count);
        return new ArraySegment<int>(_order, start, end - start);
    }

    // HashCode.Combine is randomised per process, so the mix is spelled out to stay reproducible.
    static int EpochSeed(int seed, int epoch) => unchecked(seed * 1_000_003 + epoch * 7919);

    static int[] Identity(int n)
    {
        var a = new int[n];
        for (var i = 0; i < n; i++) a[i] = i;
        return a;
    }
}
