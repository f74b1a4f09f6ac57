using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Layers.Checkpointing;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>One child's measurement of a training step through a stack of GPT-2 blocks.</summary>
internal sealed record BlockStackMemory(string Mode, int Layers, int Batch, int Sequence, long WeightBytes,
    long StepPeakIncreaseBytes, long HeldAfterForwardBytes, long ProcessPeakBytes, double StepSeconds);

/// <summary>The two measurements and their ratio, written as JSON.</summary>
internal sealed record CheckpointMemoryResult(string Description, int Threads, string LoadAverage,
    BlockStackMemory Plain, BlockStackMemory Checkpointed)
{
    /// <summary>Peak increase of a step with checkpointing over the same without.</summary>
    public double StepPeakRatio => (double)Checkpointed.StepPeakIncreaseBytes / Plain.StepPeakIncreaseBytes;

    public void Write(string path) => BenchmarkJson.Write(this, path);
}

/// <summary>
/// Peak resident memory of a forward + backward through a stack of GPT-2 blocks (GPT-2 small's width, 768 × 12
/// heads, every parameter trained), with and without <see cref="GradientCheckpoint"/>, each in its own child
/// process. The step is run twice and the second is measured, so weights, gradients and allocator warm-up are the
/// same in both; the step's peak is the resident high-water mark (VmHWM, reset through /proc/self/clear_refs)
/// above the resident size just before the step.
/// </summary>
internal static class CheckpointMemoryBenchmark
{
    public const string Command = "checkpoint-memory";
    public const string ChildCommand = "checkpoint-memory-child";

    public static CheckpointMemoryResult Run(int layers, int batch, int sequence, int threads, TextWriter log)
    {
        var description = $"{layers} GPT-2 blocks (768 wide, 12 heads), batch {batch} × {sequence} tokens, full training";
        log.WriteLine($"Checkpoint memory: {description}, {threads} threads");
        var plain = RunChild("plain", layers, batch, sequence, threads, log);
        var checkpointed = RunChild("checkpointed", layers, batch, sequence, threads, log);
        var result = new CheckpointMemoryResult(description, threads, LoadAverage.Now(), plain, checkpointed);
        log.WriteLine($"  step peak ratio (checkpointed / plain): {result.StepPeakRatio:F3}");
        return result;
    }

    static BlockStackMemory RunChild(string mode, int layers, int batch, int sequence, int threads, TextWriter log)
    {
        var result = BenchmarkChild.Run<BlockStackMemory>([ChildCommand, mode, layers, batch, sequence, "--threads", threads]);
        log.WriteLine($"  {mode,-12} step peak +{result.StepPeakIncreaseBytes / 1048576.0,7:F0} MiB, held after forward " +
                      $"{result.HeldAfterForwardBytes / 1048576.0,6:F0} MiB, process peak {result.ProcessPeakBytes / 1048576.0,6:F0} MiB, {result.StepSeconds:F1} s");
        return result;
    }

    /// <summary>In the child: builds the stack, runs the step twice, prints <c>result JSON</c> for the second.</summary>
    public static void RunInChild(string mode, int layers, int batch, int sequence)
    {
        var checkpointed = mode switch
        {
            "plain" => false,
            "checkpointed" => true,
            _ => throw new ArgumentException($"Unknown mode '{mode}'; use plain or checkpointed."),
        };
        manual_seed(1);
        var config = BenchShapes.Gpt2Small with { Layers = layers };
        var blocks = Enumerable.Range(0, layers).Select(_ => new Gpt2Block(config)).ToArray();
        var weightBytes = blocks.Sum(b => b.parameters().Sum(p => p.numel() * 4));
        using var x = randn(batch, sequence, config.Dim).requires_grad_(true);
        BlockStackMemory? measured = null;
        for (var repeat = 0; repeat < 2; repeat++)
        {
            var before = ResidentMemory.ResetPeak();
            var clock = Stopwatch.StartNew();
            long afterForward;
            using (var scope = NewDisposeScope())
            {
                var h = x;
                foreach (var block in blocks)
                    h = checkpointed ? GradientCheckpoint.Run(t => block.forward(t, null), h) : block.forward(h, null);
                afterForward = ResidentMemory.Current;
                h.pow(2).mean().backward();
            }
            var peak = ResidentMemory.Peak;
            measured = new BlockStackMemory(mode, layers, batch, sequence, weightBytes, peak - before, afterForward - before,
                peak, clock.Elapsed.TotalSeconds);
            using (no_grad())
                foreach (var parameter in blocks.SelectMany(b => b.parameters())) parameter.grad?.zero_();   // keep them allocated
            x.grad = null;
        }
        BenchmarkChild.Report(measured);
    }
}

