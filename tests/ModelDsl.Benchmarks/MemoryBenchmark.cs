using System;
using System.IO;
using System.Linq;
using ModelDsl.Models;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>Peak resident memory of a few training steps on GPT-2 small, one child process per method.</summary>
internal sealed record MemoryMeasurement(string Mode, long TrainableParameters, long PeakBytes);

internal static class MemoryBenchmark
{
    public const string ChildCommand = "memory-child";
    const int Batch = 2, Sequence = 128, Steps = 3;

    public static string Describe => $"GPT-2 small (124M), batch {Batch} × {Sequence} tokens, {Steps} steps";

    /// <summary>Runs this program again as <c>memory-child MODE</c> and reads the result it prints.</summary>
    public static MemoryMeasurement RunChild(TrainingMode mode, int threads, TextWriter log)
    {
        var result = BenchmarkChild.Run<MemoryMeasurement>([ChildCommand, mode.Key(), "--threads", threads]);
        log.WriteLine($"  {mode.Key(),-6} peak {result.PeakBytes / 1048576.0,8:F0} MiB");
        return result;
    }

    /// <summary>In the child: trains a few steps and reports the peak resident size (VmHWM) and the trainable count.</summary>
    public static void RunInChild(TrainingMode mode)
    {
        manual_seed(1);
        using var setup = mode.Wrap(new Gpt2LMHeadModel(BenchShapes.Gpt2Small));
        var data = SyntheticData.Sequences(Batch * Steps, Sequence, BenchShapes.Gpt2Small.Vocab);
        using var trainer = new Trainer(setup, new TrainerOptions { MaxSteps = Steps, BatchSize = Batch, Shuffle = false }, TextWriter.Null);
        trainer.Fit(data);
        BenchmarkChild.Report(new MemoryMeasurement(mode.Key(), trainer.TrainableParameterCount, ResidentMemory.Peak));
    }
}
