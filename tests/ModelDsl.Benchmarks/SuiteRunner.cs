using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>Runs every part of the suite in one process (memory in child processes) and writes results.json and results.md.</summary>
internal static class SuiteRunner
{
    /// <param name="Rounds">Rounds of the peer's and ModelDsl's training, alternating; the results are their medians.</param>
    public sealed record Options(int Threads = 2, int Steps = 5, int Warmup = 2, int NewTokens = 256, string? OutputDirectory = null, int Rounds = 3);

    public static SuiteResults Run(Options o, TextWriter log)
    {
        if (o.Rounds < 1) throw new ArgumentException($"--rounds {o.Rounds}: the suite needs at least one round.", nameof(o));
        set_num_threads(o.Threads);
        var root = RepoRoot.Find();
        var loadBefore = LoadAverage.Now();
        log.WriteLine($"Load average {loadBefore}; {o.Threads} threads.");

        log.WriteLine("Matmul peak (TorchSharp) ...");
        var peakBefore = MatmulPeak.GflopsPerSecond();
        log.WriteLine($"  {peakBefore:F1} GFLOP/s");
        // A single round's ratios moved by a quarter between runs on this shared machine; alternating rounds and taking
        // each side's median keeps a verdict from resting on one minute.
        var peers = new List<PeerMeasurement>();
        var rounds = new List<IReadOnlyList<TrainingMeasurement>>();
        for (var round = 1; round <= o.Rounds; round++)
        {
            log.WriteLine($"PyTorch peer (round {round} of {o.Rounds}) ...");
            peers.Add(PythonPeer.Run(root, o.Threads, o.Steps, o.Warmup, o.NewTokens, log));
            log.WriteLine($"Training, ModelDsl (round {round} of {o.Rounds}) ...");
            rounds.Add([.. TrainingModes.All.Select(m => TrainingBenchmark.Run(m, o.Steps, o.Warmup, log))]);
        }
        var peer = PeerMeasurement.Median(peers);
        var training = TrainingModes.All.Select(m => TrainingMeasurement.Median(rounds.Select(r => r.Single(t => t.Mode == m.Key())))).ToList();
        log.WriteLine($"Medians of {o.Rounds} rounds: peer full {peer.FullTokensPerSecond:F0}, lora {peer.LoraTokensPerSecond:F0}, prompt {peer.PromptTokensPerSecond:F0}; "
                      + string.Join(", ", training.Select(t => $"{t.Mode} {t.TokensPerSecond:F0}")) + " tokens/s");
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
            loadBefore, LoadAverage.Now(), o.Threads, o.Rounds, Math.Max(peakBefore, peakAfter), peer, training, memory, inference, decode, generator);
        var directory = o.OutputDirectory ?? Path.Combine(root, "artifacts", "bench");
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        File.WriteAllText(Path.Combine(directory, "results.json"), json + "\n");
        File.WriteAllText(Path.Combine(directory, "results.md"), ResultsMarkdown.Render(results));
        log.WriteLine($"Wrote {Path.Combine(directory, "results.json")} and results.md");
        return results;
    }
}
