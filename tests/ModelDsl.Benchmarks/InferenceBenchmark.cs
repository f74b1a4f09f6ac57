using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Forward latency (batch 1 × 256 tokens, no gradients) of the bare base, merged LoRA and unmerged LoRA: the fastest of
/// interleaved rounds (a shared machine's noise only ever adds time), and the medians beside them.
/// </summary>
internal sealed record InferenceMeasurement(double BareMs, double MergedMs, double UnmergedMs,
    double BareMedianMs, double MergedMedianMs, double UnmergedMedianMs)
{
    public double MergedOverBare => MergedMs / BareMs;

    public double UnmergedOverBare => UnmergedMs / BareMs;
}

internal static class InferenceBenchmark
{
    public static InferenceMeasurement Run(int rounds, TextWriter log)
    {
        var config = BenchShapes.Small;
        manual_seed(1);
        using var bare = new Gpt2LMHeadModel(config);
        using var merged = new BenchLoraSetup(new Gpt2LMHeadModel(config));
        using var unmerged = new BenchLoraSetup(new Gpt2LMHeadModel(config));
        merged.Merge();
        foreach (var m in new nn.Module[] { bare, merged, unmerged }) m.eval();
        using var ids = randint(config.Vocab, [1, BenchShapes.Sequence]);
        Func<Tensor>[] forwards = [() => bare.forward(ids), () => merged.forward(ids), () => unmerged.forward(ids)];
        var times = forwards.Select(_ => new List<double>()).ToArray();
        using (no_grad())
        {
            foreach (var forward in forwards) for (var i = 0; i < 2; i++) forward().Dispose();
            // Interleaved rounds, each starting with the next model, so neither the machine's load nor the order favours one.
            for (var r = 0; r < rounds; r++)
                for (var j = 0; j < forwards.Length; j++)
                {
                    var k = (r + j) % forwards.Length;
                    times[k].Add(Stats.Time(() => forwards[k]().Dispose()));
                }
        }
        var result = new InferenceMeasurement(times[0].Min() * 1000, times[1].Min() * 1000, times[2].Min() * 1000,
            Stats.Median(times[0]) * 1000, Stats.Median(times[1]) * 1000, Stats.Median(times[2]) * 1000);
        log.WriteLine($"  bare {result.BareMs:F1} ms, merged LoRA {result.MergedMs:F1} ms (x{result.MergedOverBare:F3}), unmerged {result.UnmergedMs:F1} ms (x{result.UnmergedOverBare:F3})");
        return result;
    }
}
