using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Benchmarks;

/// <summary>One point of a scaling sweep: both sides' full fine-tuning tokens/s on one shape, measured back to back.</summary>
internal sealed record ScalingPoint(string Sweep, int Width, int Heads, int Sequence, int Context,
    double ModelDslTokensPerSecond, double PyTorchTokensPerSecond,
    IReadOnlyList<double> ModelDslStepSeconds, IReadOnlyList<double> PyTorchStepSeconds, string LoadAverageAfter)
{
    /// <summary>ModelDsl's tokens/s over PyTorch's.</summary>
    public double Ratio => ModelDslTokensPerSecond / PyTorchTokensPerSecond;
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
            .AppendLine("| sweep | width | heads | sequence | ModelDsl, tokens/s | PyTorch eager, tokens/s | ratio |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var p in Points)
            table.AppendLine($"| {p.Sweep} | {p.Width} | {p.Heads} | {p.Sequence} | {p.ModelDslTokensPerSecond:F0} | {p.PyTorchTokensPerSecond:F0} | {p.Ratio:F2}× |");
        return table.ToString();
    }
}
