using System.IO;

namespace ModelDsl.Benchmarks;

/// <summary>Decode speeds with and without the key/value cache, written as JSON.</summary>
internal sealed record DecodeResult(string Model, int PromptTokens, int NewTokens, int Threads,
    double CachedSeconds, double CachedTokensPerSecond, double UncachedSeconds, double UncachedTokensPerSecond, bool TokensMatch)
{
    /// <summary>How many times faster decoding is with the cache.</summary>
    public double Speedup => CachedTokensPerSecond / UncachedTokensPerSecond;

    public void Write(string path) => BenchmarkJson.Write(this, path);
}
