using System;
using System.Diagnostics;
using System.Globalization;
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

    /// <summary>Runs this program again as <c>memory-child MODE</c> and reads the line it prints.</summary>
    public static MemoryMeasurement RunChild(TrainingMode mode, int threads, TextWriter log)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(MemoryBenchmark).Assembly.Location);
        foreach (var a in new[] { ChildCommand, mode.Key(), "--threads", threads.ToString(CultureInfo.InvariantCulture) }) info.ArgumentList.Add(a);
        using var child = Process.Start(info)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("peak ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The memory child for {mode.Key()} exited with {child.ExitCode} and printed no result.");
        var parts = line.Split(' ');
        var result = new MemoryMeasurement(mode.Key(), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
        log.WriteLine($"  {mode.Key(),-6} peak {result.PeakBytes / 1048576.0,8:F0} MiB");
        return result;
    }

    /// <summary>In the child: trains a few steps and prints <c>peak BYTES TRAINABLE</c> (VmHWM, the resident high-water mark).</summary>
    public static void RunInChild(TrainingMode mode)
    {
        manual_seed(1);
        using var setup = mode.Wrap(new Gpt2LMHeadModel(BenchShapes.Gpt2Small));
        var data = SyntheticData.Sequences(Batch * Steps, Sequence, BenchShapes.Gpt2Small.Vocab);
        using var trainer = new Trainer(setup, new TrainerOptions { MaxSteps = Steps, BatchSize = Batch, Shuffle = false }, TextWriter.Null);
        trainer.Fit(data);
        Console.WriteLine($"peak {PeakResidentBytes()} {trainer.TrainableParameterCount}");
    }

    static long PeakResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kib = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kib * 1024;
    }
}
