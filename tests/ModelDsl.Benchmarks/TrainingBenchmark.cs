using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Models;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>Per-step times of whole training steps, as users run them: the <see cref="Trainer"/> over a setup.</summary>
internal sealed record TrainingMeasurement(string Mode, long TrainableParameters, double TokensPerSecond, double ModelFlopsPerSecond,
    IReadOnlyList<double> StepSeconds)
{
    /// <summary>The median round's rates, with every round's step times.</summary>
    public static TrainingMeasurement Median(IEnumerable<TrainingMeasurement> rounds)
    {
        var all = rounds.ToList();
        return all[0] with
        {
            TokensPerSecond = Stats.Median(all.Select(r => r.TokensPerSecond)),
            ModelFlopsPerSecond = Stats.Median(all.Select(r => r.ModelFlopsPerSecond)),
            StepSeconds = [.. all.SelectMany(r => r.StepSeconds)],
        };
    }
}

internal static class TrainingBenchmark
{
    /// <summary>
    /// Trains <paramref name="mode"/> on the benchmark GPT-2 for <paramref name="warmup"/> + <paramref name="steps"/> steps of
    /// batch 8 × 256 tokens and reports the median step (tokens/s are real tokens, not virtual ones).
    /// </summary>
    public static TrainingMeasurement Run(TrainingMode mode, int steps, int warmup, TextWriter log) =>
        Run(mode, BenchShapes.Small, BenchShapes.Batch, BenchShapes.Sequence, steps, warmup, log);

    /// <summary>The same on the GPT-2 <paramref name="config"/> with batches of <paramref name="batch"/> × <paramref name="sequence"/> tokens.</summary>
    public static TrainingMeasurement Run(TrainingMode mode, Gpt2Config config, int batch, int sequence, int steps, int warmup, TextWriter log)
    {
        manual_seed(1);
        using var setup = mode.Wrap(new Gpt2LMHeadModel(config));
        var data = SyntheticData.Sequences(batch * (steps + warmup), sequence, config.Vocab);
        using var trainer = new Trainer(setup, new TrainerOptions
        {
            MaxSteps = steps + warmup, BatchSize = batch, LearningRate = 3e-4, Shuffle = false, LogEvery = 1000,
        }, TextWriter.Null);
        var seconds = new List<double>();
        trainer.StepCompleted += record => seconds.Add(record.Tokens / record.TokensPerSecond);
        trainer.Fit(data);
        var measured = seconds.Skip(warmup).ToList();
        var median = Stats.Median(measured);
        var trainable = trainer.TrainableParameterCount;
        var flops = ModelFlops.PerStep(mode, config, batch, sequence, trainable);
        var result = new TrainingMeasurement(mode.Key(), trainable, (double)batch * sequence / median, flops / median, measured);
        log.WriteLine($"  {mode.Key(),-6} {result.TokensPerSecond,8:F0} tokens/s  {result.ModelFlopsPerSecond / 1e9,6:F1} model GFLOP/s  ({trainable:N0} trainable)");
        return result;
    }
}
