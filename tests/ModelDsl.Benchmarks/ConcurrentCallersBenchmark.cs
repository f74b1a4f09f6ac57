using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ModelDsl.Generation;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Throughput of one model serving 8 callers at once (their requests meet in the model's queue and are decoded in
/// batches) against the same calls made one after another, on the GPT-2-shaped model of the structured benchmark
/// (6 layers × 384, vocabulary 50,257), greedy, with the key/value cache. Every concurrent answer is checked against
/// the sequential one. Rounds alternate the two so machine load hits both alike.
/// </summary>
internal static class ConcurrentCallersBenchmark
{
    public const string Command = "concurrent";
    const int Callers = 8, CallsPerCaller = 3, Rounds = 2;

    public static ConcurrentCallersResult Run(int newTokens, TextWriter log)
    {
        var load = LoadAverage.Now();
        manual_seed(1);
        using var model = new Gpt2LMHeadModel(StructuredBenchmark.Config);
        model.eval();
        var generator = new TextGenerator(model, Tokenizers.Gpt2());
        var options = new GenerationOptions { MaxNewTokens = newTokens };
        var prompts = Enumerable.Range(0, Callers * CallsPerCaller)
            .Select(i => $"Caller {i % Callers} asks question {i / Callers}: " + string.Join(" ", Enumerable.Repeat("why", 1 + i % 4))).ToArray();

        generator.Generate(prompts[0], options);   // warm kernels and allocator
        var sequentialSeconds = new List<double>();
        var concurrentSeconds = new List<double>();
        var tokens = 0;
        var identical = true;
        for (var round = 0; round < Rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var alone = prompts.Select(p => generator.Generate(p, options)).ToArray();
            sequentialSeconds.Add(clock.Elapsed.TotalSeconds);
            tokens = alone.Sum(r => r.TokenIds.Count);

            clock.Restart();
            var together = new GeneratedText[prompts.Length];
            Task.WaitAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
            {
                for (var call = 0; call < CallsPerCaller; call++)
                {
                    var index = call * Callers + caller;
                    together[index] = await generator.GenerateAsync(prompts[index], options);
                }
            })).ToArray());
            concurrentSeconds.Add(clock.Elapsed.TotalSeconds);
            identical &= alone.Zip(together).All(p => p.First.TokenIds.SequenceEqual(p.Second.TokenIds));
        }
        var sequential = Stats.Median(sequentialSeconds);
        var concurrent = Stats.Median(concurrentSeconds);
        var result = new ConcurrentCallersResult(
            Model: $"GPT-2 {StructuredBenchmark.Config.Layers} layers x {StructuredBenchmark.Config.Dim}, vocab {StructuredBenchmark.Config.Vocab}",
            Threads: get_num_threads(), Callers: Callers, Calls: prompts.Length, NewTokens: newTokens, GeneratedTokens: tokens,
            LoadAverageBefore: load, LoadAverageAfter: LoadAverage.Now(),
            SequentialTokensPerSecond: tokens / sequential, ConcurrentTokensPerSecond: tokens / concurrent,
            AnswersIdentical: identical);
        log.WriteLine($"{Callers} callers: {result.ConcurrentTokensPerSecond:F1} tokens/s vs sequential {result.SequentialTokensPerSecond:F1} tokens/s "
                      + $"(x{result.Speedup:F2}, answers identical: {identical}, load {load} -> {result.LoadAverageAfter})");
        return result;
    }
}

/// <summary>Concurrent against sequential callers, written as JSON.</summary>
internal sealed record ConcurrentCallersResult(string Model, int Threads, int Callers, int Calls, int NewTokens, int GeneratedTokens,
    string LoadAverageBefore, string LoadAverageAfter, double SequentialTokensPerSecond, double ConcurrentTokensPerSecond, bool AnswersIdentical)
{
    /// <summary>Concurrent throughput over sequential (target at least 3).</summary>
    public double Speedup => ConcurrentTokensPerSecond / SequentialTokensPerSecond;

    public void Write(string path) => BenchmarkJson.Write(this, path);
}
