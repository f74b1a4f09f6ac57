using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>The machine's fp32 matmul rate through TorchSharp: the best of a few 2048³ products.</summary>
internal static class MatmulPeak
{
    public static double GflopsPerSecond(int n = 2048, int repeats = 5)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        for (var i = 0; i < 2; i++) a.matmul(b).Dispose();
        var best = Enumerable.Range(0, repeats).Min(_ => Stats.Time(() => a.matmul(b).Dispose()));
        return 2.0 * n * n * n / best / 1e9;
    }
}
