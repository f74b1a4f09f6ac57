using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Models;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>One configuration: the estimate's parts and the measured peak, all in bytes.</summary>
internal sealed record MemoryEstimateRun(string Mode, string Estimate, long EstimatedWeightBytes, long EstimatedGradientBytes,
    long EstimatedOptimizerBytes, long EstimatedActivationBytes, long EstimatedTotalBytes, long IdleBaselineBytes,
    long ResidentBeforeStepsBytes, long ProcessPeakBytes, double Seconds)
{
    /// <summary>The process's peak resident size above its idle baseline (runtime and libtorch loaded, no model yet).</summary>
    public long MeasuredPeakBytes => ProcessPeakBytes - IdleBaselineBytes;

    /// <summary>Estimate over measurement; the goal is 0.85 … 1.15.</summary>
    public double EstimateOverMeasured => (double)EstimatedTotalBytes / MeasuredPeakBytes;
}

/// <summary>The five configurations, written as JSON.</summary>
internal sealed record MemoryEstimateResult(string Description, string Measurement, int Threads, string LoadAverageBefore,
    string LoadAverageAfter, MemoryEstimateRun[] Runs)
{
    /// <summary>The largest relative difference between estimate and measurement.</summary>
    public double WorstRelativeError => Runs.Max(r => Math.Abs(r.EstimateOverMeasured - 1));

    public void Write(string path) => BenchmarkJson.Write(this, path);
}

/// <summary>
/// <see cref="MemoryEstimator"/> against the measured peak of real training steps on GPT-2 small's shape (124M, random
/// weights), each configuration in its own child process: full fine-tuning in fp32 and in bf16, LoRA r=8 on c_attn and
/// attn.c_proj in fp32, with gradient checkpointing, and on an NF4 base. Each child runs two optimizer steps; the first on
/// 8-token sequences (so gradients, optimizer state and masters exist as in every later step) and the second at the
/// measured batch × sequence. The measured peak is the process's resident high-water mark (VmHWM, which counts
/// libtorch's native allocations) minus its idle baseline: the resident size after the .NET runtime and libtorch are
/// loaded and their thread pool has run a matmul, before the model is built. The high-water mark is reset (after a
/// malloc_trim) once the model is built and the trainer created, so building and converting the model does not count.
/// </summary>
internal static class MemoryEstimateBenchmark
{
    public const string Command = "memory-estimate";
    public const string ChildCommand = "memory-estimate-child";
    static readonly string[] Modes = ["full-fp32", "lora-fp32", "lora-checkpointing", "full-bf16", "lora-nf4"];

    /// <summary>
    /// glibc's mmap threshold in the children, fixed (which also stops its dynamic growth) so that a freed tensor of at
    /// least this size goes back to the system at once; otherwise glibc keeps freed tensors below 32 MiB in its heap and
    /// the resident size counts them long after they died (0 keeps glibc's default).
    /// </summary>
    const int DefaultMmapThreshold = 1 << 20;

    /// <summary>Every configuration, in the order they run.</summary>
    public static IReadOnlyList<string> AllModes => Modes;

    public static MemoryEstimateResult Run(int batch, int sequence, int threads, TextWriter log, int mmapThreshold = DefaultMmapThreshold,
        IReadOnlyList<string>? modes = null)
    {
        modes ??= Modes;
        var unknown = modes.FirstOrDefault(m => !Modes.Contains(m));
        if (unknown is not null) throw new ArgumentException($"Unknown configuration '{unknown}'; use {string.Join(", ", Modes)}.");
        var description = $"GPT-2 small shape (124M, random weights), batch {batch} × {sequence} tokens; LoRA r={BenchShapes.LoraRank} " +
                          "on c_attn and attn.c_proj; two AdamW steps per configuration, the second measured";
        log.WriteLine($"Memory estimate: {description}, {threads} threads");
        var loadBefore = LoadAverage.Now();
        var runs = modes.Select(mode => RunChild(mode, batch, sequence, threads, mmapThreshold, log)).ToArray();
        var allocator = mmapThreshold > 0 ? $"glibc mmap threshold fixed at {mmapThreshold} bytes (MALLOC_MMAP_THRESHOLD_)" : "glibc's default allocator settings";
        var result = new MemoryEstimateResult(description,
            "peak resident size (VmHWM) minus the idle baseline (resident size with the runtime and libtorch loaded, before the model); " + allocator,
            threads, loadBefore, LoadAverage.Now(), runs);
        log.WriteLine($"  worst |estimate / measured - 1| = {result.WorstRelativeError:P1}");
        return result;
    }

    static MemoryEstimateRun RunChild(string mode, int batch, int sequence, int threads, int mmapThreshold, TextWriter log)
    {
        var environment = new Dictionary<string, string>();
        if (mmapThreshold > 0) environment["MALLOC_MMAP_THRESHOLD_"] = mmapThreshold.ToString(CultureInfo.InvariantCulture);
        var run = BenchmarkChild.Run<MemoryEstimateRun>([ChildCommand, mode, batch, sequence, "--threads", threads], environment);
        log.WriteLine($"  {mode,-19} estimate {Mib(run.EstimatedTotalBytes),9}  measured {Mib(run.MeasuredPeakBytes),9}  " +
                      $"ratio {run.EstimateOverMeasured:F3}  ({run.Seconds:F0} s)");
        log.WriteLine($"  {"",-19} {run.Estimate}");
        return run;
    }

    static string Mib(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>In the child: measures one configuration and prints <c>result JSON</c>.</summary>
    public static void RunInChild(string mode, int batch, int sequence)
    {
        if (!Modes.Contains(mode)) throw new ArgumentException($"Unknown mode '{mode}'; use {string.Join(", ", Modes)}.");
        using (var warm = randn(256, 256)) warm.mm(warm).Dispose();   // loads libtorch and starts its thread pool
        var baseline = ResidentMemory.ResetPeak();
        manual_seed(1);
        var model = new Gpt2LMHeadModel(BenchShapes.Gpt2Small);
        var random = new Random(2);
        TokenizedSequence Sequence(int length)
        {
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(BenchShapes.Gpt2Small.Vocab)).ToArray();
            return new TokenizedSequence(ids, ids);
        }
        var data = new TokenizedDataset([.. Enumerable.Range(0, batch).Select(_ => Sequence(8)), .. Enumerable.Range(0, batch).Select(_ => Sequence(sequence))]);
        var options = new TrainerOptions
        {
            MaxSteps = 2, BatchSize = batch, Shuffle = false, LogEvery = 1,
            Precision = mode == "full-bf16" ? TrainingPrecision.BFloat16 : TrainingPrecision.Float32,
            GradientCheckpointing = mode == "lora-checkpointing",
            // The estimate counts live tensors; the allocator setting above (not the trainer's) decides what freed memory
            // stays resident, so the peak measures the tensors and not the heap's slack.
            KeepFreedMemory = false,
        };
        using Peft.PeftSetup setup = mode switch
        {
            "lora-nf4" => new BenchQloraSetup(model),
            _ when mode.StartsWith("full", StringComparison.Ordinal) => new BenchFullSetup(model),
            _ => new BenchLoraSetup(model),
        };
        var estimate = setup.EstimateMemory(batch, sequence, options);
        using var trainer = new Trainer(setup, options, TextWriter.Null);
        var objective = new NextTokenObjective(setup, data);
        var before = ResidentMemory.ResetPeak();
        var clock = Stopwatch.StartNew();
        trainer.Fit(objective);
        var peak = ResidentMemory.Peak;
        var run = new MemoryEstimateRun(mode, estimate.ToString(), estimate.WeightBytes, estimate.GradientBytes, estimate.OptimizerBytes,
            estimate.ActivationBytes, estimate.TotalBytes, baseline, before, peak, clock.Elapsed.TotalSeconds);
        BenchmarkChild.Report(run);
    }
}
