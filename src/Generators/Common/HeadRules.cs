using System;
using System.Collections.Generic;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Common;

/// <summary>Attention head arithmetic shared by custom layers and the model families.</summary>
internal static class HeadRules
{
    public static void Check(List<Finding> findings, string? member, int dim, int heads, int kvHeads, string dimArgument, string headsArgument)
    {
        string subject = member is null ? "" : $" of '{member}'";
        if (heads >= 1 && dim >= 1 && dim % heads != 0)
            findings.Add(new Finding(DiagnosticIds.HeadsDoNotDivideWidth,
                $"{headsArgument} = {heads}{subject} must divide {dimArgument} = {dim}; try {NearestDivisor(dim, heads)}.",
                member, headsArgument));
        if (kvHeads >= 1 && heads >= 1 && heads % kvHeads != 0)
            findings.Add(new Finding(DiagnosticIds.KvHeadsDoNotDivideHeads,
                $"KvHeads = {kvHeads}{subject} must divide {headsArgument} = {heads}; try {NearestDivisor(heads, kvHeads)}.",
                member, "KvHeads"));
    }

    // The divisor of value closest to near (the smaller on a tie), from the divisor pairs up to √value: a linear
    // search took ~10^9 steps for Dim = 2^30, Heads = 2^31 - 2, and overflowed on near + distance.
    static int NearestDivisor(int value, int near)
    {
        int best = 1;
        long bestDistance = long.MaxValue;
        for (int i = 1; (long)i * i <= value; i++)
        {
            if (value % i != 0) continue;
            foreach (int divisor in new[] { i, value / i })
            {
                long distance = Math.Abs((long)divisor - near);
                if (distance < bestDistance || (distance == bestDistance && divisor < best))
                    (best, bestDistance) = (divisor, distance);
            }
        }
        return best;
    }
}
