using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ModelDsl.Benchmarks;

/// <summary>Draws each scaling sweep as a PNG: tokens/s of both sides against the swept value, on a log-2 axis.</summary>
internal static class ScalingCharts
{
    public static string[] Save(ScalingResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        return
        [
            Save(result, ScalingBenchmark.SequenceSweep, p => p.Sequence, "sequence length (tokens)",
                $"width {result.Points.First(p => p.Sweep == ScalingBenchmark.SequenceSweep).Width}", Path.Combine(directory, "scaling-sequence.png")),
            Save(result, ScalingBenchmark.WidthSweep, p => p.Width, $"model width (heads of {ScalingBenchmark.HeadWidth})",
                $"sequence {result.Points.First(p => p.Sweep == ScalingBenchmark.WidthSweep).Sequence}", Path.Combine(directory, "scaling-width.png")),
        ];
    }

    static string Save(ScalingResult result, string sweep, Func<ScalingPoint, int> swept, string xLabel, string fixedValue, string path)
    {
        var points = result.Sweep(sweep).ToArray();
        var x = points.Select(p => Math.Log2(swept(p))).ToArray();
        var plot = new ScottPlot.Plot();
        var ours = plot.Add.Scatter(x, points.Select(p => p.ModelDslTokensPerSecond).ToArray());
        ours.LegendText = "ModelDsl (TorchSharp)";
        var theirs = plot.Add.Scatter(x, points.Select(p => p.PyTorchTokensPerSecond).ToArray());
        theirs.LegendText = $"PyTorch eager {result.TorchVersion}";
        plot.Axes.Bottom.SetTicks(x, points.Select(p => swept(p).ToString(CultureInfo.InvariantCulture)).ToArray());
        var top = points.Max(p => Math.Max(p.ModelDslTokensPerSecond, p.PyTorchTokensPerSecond));
        plot.Axes.SetLimitsY(0, top * 1.15);
        plot.Title($"Full fine-tuning, GPT-2 {ScalingBenchmark.Layers} layers, {fixedValue}, batch {ScalingBenchmark.Batch}, {result.Threads} threads");
        plot.XLabel($"{xLabel}, log scale");
        plot.YLabel("tokens/s");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 800, 500);
        return path;
    }
}
