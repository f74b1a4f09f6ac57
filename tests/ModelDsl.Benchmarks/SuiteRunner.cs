using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>Runs every part of the suite in one process (memory in child processes) and writes results.json and results.md.</summary>
internal static class SuiteRunner
{
    public sealed record Options(int Threads = 2, int Steps = 5, int Warmup = 2, int NewTokens = 256, string? OutputDirectory = null);

    public static SuiteResults Run(Options o, TextWriter log)
    {
        set_num_threads(o.Threads);
        var root = RepoRoot.Find();
        var loadBefore = LoadAverage.Now();
        log.WriteLine($"Load average {loadBefore}; {o.Threads} threads.");

        log.WriteLine("Matmul peak (TorchSharp) ...");
        var peakBefore = MatmulPeak.GflopsPerSecond();
        log.WriteLine($"  {peakBefore:F1} GFLOP/s");
        log.WriteLine("PyTorch peer ...");
        var peer = PythonPeer.Run(root, o.Threads, o.Steps, o.Warmup, o.NewTokens, log);
        log.WriteLine("Training (ModelDsl) ...");
        var training = TrainingModes.All.Select(m => TrainingBenchmark.Run(m, o.Steps, o.Warmup, log)).ToList();
        log.WriteLine("Peak memory, GPT-2 small ...");
        var memory = new[] { TrainingMode.Full, TrainingMode.Lora }.Select(m => MemoryBenchmark.RunChild(m, o.Threads, log)).ToList();
        log.WriteLine("Inference latency ...");
        var inference = InferenceBenchmark.Run(rounds: 30, log);
        log.WriteLine("Decode ...");
        var decode = DecodeBenchmark.Run(o.NewTokens, log);
        log.WriteLine("Generator ...");
        var generator = GeneratorBenchmark.Run(log);
        var peakAfter = MatmulPeak.GflopsPerSecond();
        log.WriteLine($"Matmul peak again: {peakAfter:F1} GFLOP/s");

        var results = new SuiteResults(
            DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            MachineDescription.Now(),
            loadBefore, LoadAverage.Now(), o.Threads, Math.Max(peakBefore, peakAfter), peer, training, memory, inference, decode, generator);
        var directory = o.OutputDirectory ?? Path.Combine(root, "artifacts", "bench");
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        File.WriteAllText(Path.Combine(directory, "results.json"), json + "\n");
        File.WriteAllText(Path.Combine(directory, "results.md"), ResultsMarkdown.Render(results));
        log.WriteLine($"Wrote {Path.Combine(directory, "results.json")} and results.md");
        return results;
    }
}
