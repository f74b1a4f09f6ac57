using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelDsl.Models;

namespace ModelDsl.Benchmarks;

/// <summary>
/// How training cost grows: full fine-tuning tokens/s of ModelDsl (through the <c>Trainer</c>) and of PyTorch eager
/// (<c>peer/scaling_point.py</c>) against sequence length and against model width. The two sides alternate point by
/// point, so a change in the machine's load hits both alike.
/// </summary>
internal static class ScalingBenchmark
{
    public const string Command = "scaling";

    /// <summary>Names of the two sweeps, as the results and charts use them.</summary>
    public const string SequenceSweep = "sequence", WidthSweep = "width";

    /// <summary>What every point shares.</summary>
    public const int Layers = 6, Vocab = 8192, Batch = 8, HeadWidth = 64;

    /// <summary>One sweep: the values it varies and the fixed value of the other axis.</summary>
    public sealed record Sweep(string Name, int[] Values, int Fixed);

    /// <summary>Sequence 128 → 1024 at width 384; width 256 → 1024 at sequence 256 (<paramref name="quick"/>: a few small points, to check the plumbing).</summary>
    public static Sweep[] Sweeps(bool quick) => quick
        ? [new(SequenceSweep, [32, 64], 128), new(WidthSweep, [64, 128], 32)]
        : [new(SequenceSweep, [128, 256, 512, 1024], 384), new(WidthSweep, [256, 512, 768, 1024], 256)];

    /// <summary>GPT-2 with 6 layers, heads of 64, vocab 8192 and at least 512 positions.</summary>
    public static Gpt2Config Shape(int width, int sequence) =>
        new(Layers: Layers, Dim: width, Heads: width / HeadWidth, Vocab: Vocab, Context: Math.Max(512, sequence));

    /// <summary>Measures every point; <paramref name="afterEachPoint"/> sees the points so far (so a run stopped early keeps them).</summary>
    public static ScalingResult Run(int threads, int steps, int warmup, bool quick, TextWriter log, Action<ScalingResult> afterEachPoint)
    {
        var root = RepoRoot.Find();
        var started = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var loadBefore = LoadAverage.Now();
        log.WriteLine($"Load average {loadBefore}; {threads} threads, {warmup} warm-up + {steps} measured steps per point.");
        var points = new List<ScalingPoint>();
        var torchVersion = "";
        foreach (var sweep in Sweeps(quick))
        foreach (var value in sweep.Values)
        {
            var (width, sequence) = sweep.Name == SequenceSweep ? (sweep.Fixed, value) : (value, sweep.Fixed);
            var config = Shape(width, sequence);
            log.WriteLine($"{sweep.Name} sweep: width {width}, {config.Heads} heads, batch {Batch} x {sequence}, context {config.Context}");
            var ours = TrainingBenchmark.Run(TrainingMode.Full, config, Batch, sequence, steps, warmup, log);
            using var peer = PeerScript.Run(root, "scaling_point.py", threads,
                [("layers", config.Layers), ("dim", config.Dim), ("heads", config.Heads), ("vocab", config.Vocab), ("context", config.Context),
                 ("batch", Batch), ("sequence", sequence), ("steps", steps), ("warmup", warmup)]);
            var theirs = peer.RootElement;
            torchVersion = theirs.GetProperty("torchVersion").GetString()!;
            var flopsPerToken = ModelFlops.PerStep(TrainingMode.Full, config, Batch, sequence, ours.TrainableParameters) / ((double)Batch * sequence);
            var point = new ScalingPoint(sweep.Name, width, config.Heads, sequence, config.Context, flopsPerToken,
                ours.TokensPerSecond, theirs.GetProperty("tokensPerSecond").GetDouble(), ours.StepSeconds,
                theirs.GetProperty("stepSeconds").EnumerateArray().Select(s => s.GetDouble()).ToList(), LoadAverage.Now());
            log.WriteLine($"  torch  {point.PyTorchTokensPerSecond,8:F0} tokens/s  -> {point.Ratio:F2}x  (load {point.LoadAverageAfter})");
            points.Add(point);
            afterEachPoint(Result());
        }
        return Result();

        ScalingResult Result() => new(started,
            MachineDescription.Now(),
            $"GPT-2 {Layers} layers, heads of {HeadWidth}, vocab {Vocab}, batch {Batch}, full fine-tuning (AdamW, clipping at 1.0)",
            threads, steps, warmup, torchVersion, loadBefore, LoadAverage.Now(), points.ToList());
    }
}
