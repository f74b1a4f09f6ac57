using System;
using System.Linq;
using ModelDsl.Data;

namespace ModelDsl.Benchmarks;

/// <summary>Random token sequences of one length, every position a target (no padding).</summary>
internal static class SyntheticData
{
    public static TokenizedDataset Sequences(int count, int length, int vocab, int seed = 7)
    {
        var random = new Random(seed);
        return new TokenizedDataset(Enumerable.Range(0, count).Select(_ =>
        {
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(vocab)).ToArray();
            return new TokenizedSequence(ids, ids);
        }));
    }
}
