using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Benchmarks;

/// <summary>One point of a scaling sweep: both sides' full fine-tuning tokens/s on one shape, measured back to back.</summary>
internal sealed record ScalingPoint(string Sweep, int Width, int Heads, int Sequence, int Context, double ModelFlopsPerToken,
    double ModelDslTokensPerSecond, double PyTorchTokensPerSecond,
    IReadOnlyList<double> ModelDslStepSeconds, IReadOnlyList<double> PyTorchStepSeconds, string LoadAverageAfter)
{
    /// <summary>ModelDsl's tokens/s over PyTorch's.</summary>
    public double Ratio => ModelDslTokensPerSecond / PyTorchTokensPerSecond;

    /// <summary>Model GFLOP/s (<see cref="ModelFlops"/>) of each side.</summary>
    public double ModelDslGflops => ModelFlopsPerToken * ModelDslTokensPerSecond / 1e9;

    /// <inheritdoc cref="ModelDslGflops"/>
    public double PyTorchGflops => ModelFlopsPerToken * PyTorchTokensPerSecond / 1e9;
}

/// <summary>What one run of the scaling benchmark measured, written to <c>scaling.json</c>.</summary>
internal sealed record ScalingResult(string Date, string Machine, string Model, int Threads, int Steps, int Warmup,
    string TorchVersion, string LoadAverageBefore, string LoadAverageAfter, IReadOnlyList<ScalingPoint> Points)
{
    public IEnumerable<ScalingPoint> Sweep(string name) => Points.Where(p => p.Sweep == name);

    public void Write(string path) => BenchmarkJson.Write(this, path);

    /// <summary>The table docs/performance.md shows: one row per point, both sides and their ratio.</summary>
    public string MarkdownTable()
    {
        var table = new StringBuilder()
            .AppendLine("| sweep | width | heads | sequence | model MFLOP/token | ModelDsl, tokens/s | PyTorch eager, tokens/s | ratio | model GFLOP/s, ModelDsl / PyTorch |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var p in Points)
            table.AppendLine($"| {p.Sweep} | {p.Width} | {p.Heads} | {p.Sequence} | {p.ModelFlopsPerToken / 1e6:F1} | {p.ModelDslTokensPerSecond:F0} | {p.PyTorchTokensPerSecond:F0} | {p.Ratio:F2}× | {p.ModelDslGflops:F1} / {p.PyTorchGflops:F1} |");
        return table.ToString();
    }
}
