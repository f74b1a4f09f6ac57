using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Generation;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Greedy decode speed of a GPT-2-shaped model (6 layers × 384, 6 heads, vocab 8192, context 512) with and without
/// the key/value cache, from a 16-token prompt.
/// </summary>
internal static class DecodeBenchmark
{
    public static readonly Gpt2Config Config = new(Layers: 6, Dim: 384, Heads: 6, Vocab: 8192, Context: 512);
    const int PromptTokens = 16;

    public static DecodeResult Run(int newTokens, TextWriter log)
    {
        manual_seed(1);
        using var model = new Gpt2LMHeadModel(Config);
        model.eval();
        var generator = new TextGenerator(model, Tokenizers.Gpt2());
        var random = new Random(7);
        int[] prompt = Enumerable.Range(0, PromptTokens).Select(_ => random.Next(Config.Vocab)).ToArray();
        var options = new GenerationOptions { MaxNewTokens = newTokens };

        // Warm up both paths (kernels, allocator) on a few tokens.
        generator.GenerateTokens([prompt], options with { MaxNewTokens = 8 });
        generator.GenerateTokens([prompt], options with { MaxNewTokens = 8, UseCache = false });

        log.WriteLine($"Decoding {newTokens} tokens with the cache ...");
        var (cachedSeconds, cachedTokens) = Time(generator, prompt, options);
        log.WriteLine($"Decoding {newTokens} tokens without the cache ...");
        var (uncachedSeconds, uncachedTokens) = Time(generator, prompt, options with { UseCache = false });

        var result = new DecodeResult(
            Model: $"GPT-2 {Config.Layers} layers x {Config.Dim}, {Config.Heads} heads, vocab {Config.Vocab}, context {Config.Context}",
            PromptTokens: PromptTokens,
            NewTokens: cachedTokens.Length,
            Threads: get_num_threads(),
            CachedSeconds: cachedSeconds,
            CachedTokensPerSecond: cachedTokens.Length / cachedSeconds,
            UncachedSeconds: uncachedSeconds,
            UncachedTokensPerSecond: uncachedTokens.Length / uncachedSeconds,
            TokensMatch: cachedTokens.SequenceEqual(uncachedTokens));
        log.WriteLine($"with cache: {result.CachedTokensPerSecond:F1} tokens/s; without: {result.UncachedTokensPerSecond:F1} tokens/s; "
                      + $"speed-up x{result.Speedup:F2}; same tokens: {result.TokensMatch}");
        return result;
    }

    static (double Seconds, int[] Tokens) Time(TextGenerator generator, int[] prompt, GenerationOptions options)
    {
        var clock = Stopwatch.StartNew();
        var generated = generator.GenerateTokens([prompt], options)[0];
        return (clock.Elapsed.TotalSeconds, generated.TokenIds.ToArray());
    }
}
