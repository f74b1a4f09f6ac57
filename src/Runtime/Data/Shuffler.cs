using System;

namespace ModelDsl.Data;

/// <summary>Seeded permutations; the same seed gives the same order on every machine and run.</summary>
public static class Shuffler
{
    /// <summary>A permutation of 0..<paramref name="count"/>-1 (Fisher–Yates over a seeded <see cref="Random"/>).</summary>
    public static int[] Permutation(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        // Random(int) is the legacy algorithm, whose sequence .NET keeps stable for a given seed.
        var random = new Random(seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
