using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Generation;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Cached greedy decode of one prompt against eight prompts decoded together, on the decode benchmark's model
/// (GPT-2 6 × 384, vocabulary 8192) and on the structured benchmark's (vocabulary 50,257): tokens/s of each batch
/// size, from 16-token prompts. Each round runs batch 1 then batch 8, so load that comes and goes hits both alike; the
/// ratio is the median of the rounds' ratios (a best-of per side paired runs minutes apart and moved 3–5× between runs).
/// </summary>
internal static class BatchDecodeBenchmark
{
    public const string Command = "batch-decode";
    const int PromptTokens = 16, Rounds = 9;

    public static BatchDecodeResult Run(int newTokens, TextWriter log)
    {
        var load = LoadAverage.Now();
        var rows = new List<BatchDecodeRow>();
        foreach (var config in new[] { DecodeBenchmark.Config, StructuredBenchmark.Config })
            rows.Add(Measure(config, newTokens, log));
        return new BatchDecodeResult(get_num_threads(), PromptTokens, newTokens, load, LoadAverage.Now(), rows);
    }

    static BatchDecodeRow Measure(Gpt2Config config, int newTokens, TextWriter log)
    {
        manual_seed(1);
        using var model = new Gpt2LMHeadModel(config);
        model.eval();
        var generator = new TextGenerator(model, Tokenizers.Gpt2());
        var random = new Random(7);
        var prompts = Enumerable.Range(0, 8)
            .Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, PromptTokens).Select(_ => random.Next(config.Vocab)).ToArray()).ToArray();
        var options = new GenerationOptions { MaxNewTokens = newTokens };
        generator.GenerateTokens(prompts, options with { MaxNewTokens = 8 });
        generator.GenerateTokens(prompts[..1], options with { MaxNewTokens = 8 });
        var one = new List<double>();     // tokens/s per round
        var eight = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            one.Add(newTokens / Stats.Time(() => generator.GenerateTokens(prompts[..1], options)));
            eight.Add(8 * newTokens / Stats.Time(() => generator.GenerateTokens(prompts, options)));
        }
        var ratios = one.Zip(eight, (a, b) => b / a).ToArray();
        var row = new BatchDecodeRow($"GPT-2 {config.Layers} layers x {config.Dim}, vocab {config.Vocab}",
            Stats.Median(one), Stats.Median(eight), Stats.Median(ratios), ratios.Min(), ratios.Max());
        log.WriteLine($"{row.Model}: batch 1 {row.BatchOneTokensPerSecond:F1} tokens/s, batch 8 {row.BatchEightTokensPerSecond:F1} tokens/s "
            + $"(medians of {Rounds} rounds); batch 8 / batch 1 per round: median x{row.Ratio:F2}, range x{row.LowestRatio:F2}-x{row.HighestRatio:F2}");
        return row;
    }
}

/// <summary>
/// One model's decode speed at batch 1 and batch 8 (median tokens/s over the rounds), and batch 8's tokens/s over batch
/// 1's within each round: <see cref="Ratio"/> is their median (target at least 5), with the lowest and highest.
/// </summary>
internal sealed record BatchDecodeRow(string Model, double BatchOneTokensPerSecond, double BatchEightTokensPerSecond,
    double Ratio, double LowestRatio, double HighestRatio);

/// <summary>Batch-8 against batch-1 decoding, written as JSON.</summary>
internal sealed record BatchDecodeResult(int Threads, int PromptTokens, int NewTokens, string LoadAverageBefore, string LoadAverageAfter,
    IReadOnlyList<BatchDecodeRow> Rows)
{
    public void Write(string path) => BenchmarkJson.Write(this, path);
}
