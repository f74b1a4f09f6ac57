using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Quickstart;

/// <summary>Prints the comparison table, the alignment table and the record answer, and writes them as <c>results.json</c>, <c>loss.png</c> and <c>accuracy.png</c>.</summary>
public static class Report
{
    public static void Show(QuickstartReport report, string outputDir)
    {
        var p = report.Prompting;
        var table = new Table().Title($"Seed {report.Seed}: prompting zero-shot {p.ZeroShot:P0}, one-shot {p.OneShot:P0}, " +
                $"{p.FewShotExamples}-shot {p.FewShot:P0} (unwritten events {p.FewShotUnwritten:P0})")
            .AddColumns("method", "trainable params", "% of total", "task accuracy", "unwritten events", "base-skill loss before → after",
                "train time", "peak working set", "saved on disk");
        foreach (var m in report.Methods)
            table.AddRow(m.Method, m.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture),
                m.TrainablePercent.ToString("F2", CultureInfo.InvariantCulture) + " %", m.Accuracy.ToString("P1", CultureInfo.InvariantCulture),
                m.UnwrittenAccuracy.ToString("P1", CultureInfo.InvariantCulture),
                $"{m.BaseLossBefore:F3} → {m.BaseLossAfter:F3} ({m.Forgetting:+0.000;-0.000})", $"{m.TrainSeconds:F1} s",
                $"{m.PeakWorkingSetBytes / 1048576.0:F0} MB", $"{m.SavedBytes / 1024.0:F0} KB");
        table.Caption("peak working set: the process's resident memory (managed + native tensors) sampled each step");
        // Redirected output has no width; give the table room rather than wrapping every cell.
        if (System.Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        AnsiConsole.Write(table);
        AnsiConsole.Write(AlignmentTable(report.Alignment));
        var r = report.RecordAnswer;
        AnsiConsole.WriteLine($"record answer: Facts(\"{r.Story}\") → {r.Example}; every field right for {r.Accuracy.ToString("P1", CultureInfo.InvariantCulture)} of the eval stories");

        Directory.CreateDirectory(outputDir);
        File.WriteAllText(Path.Combine(outputDir, "results.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, Converters = { new JsonStringEnumConverter() } }));
        Charts(report, outputDir);
        AnsiConsole.WriteLine($"wrote {Path.Combine(outputDir, "results.json")} loss.png and accuracy.png");
    }

    // DPO's effect and its cost, before (the supervised LoRA model) and after.
    static Table AlignmentTable(AlignmentResult a)
    {
        static string P(double x) => x.ToString("P1", CultureInfo.InvariantCulture);
        return new Table().Title($"Alignment: DPO on LoRA, {a.Steps} steps over {a.Pairs} preference pairs, {a.TrainSeconds:F1} s")
            .AddColumns("model", "answers that name what was gained or lost (win-rate)", "task accuracy", "base-skill loss", "answer to the first eval story")
            .AddRow("LoRA (supervised)", P(a.WinRateBefore), P(a.AccuracyBefore), $"{a.BaseLossBefore:F3}", Markup.Escape($"\"{a.AnswerBefore}\""))
            .AddRow("LoRA + DPO", P(a.WinRateAfter), P(a.AccuracyAfter), $"{a.BaseLossAfter:F3} ({a.Forgetting:+0.000;-0.000})", Markup.Escape($"\"{a.AnswerAfter}\""));
    }

    const int LossWindow = 10;

    // Means of each run of window consecutive values: the per-batch loss is noisy at batch 16.
    static double[] Smooth(IReadOnlyList<double> values, int window) =>
        Enumerable.Range(0, Math.Max(0, values.Count - window + 1)).Select(i => values.Skip(i).Take(window).Average()).ToArray();

    static void Charts(QuickstartReport report, string directory)
    {
        var losses = new ScottPlot.Plot();
        foreach (var m in report.Methods)
        {
            var smoothed = Smooth(m.Losses, LossWindow);
            var line = losses.Add.Scatter(Enumerable.Range(LossWindow, smoothed.Length).Select(i => (double)i).ToArray(), smoothed);
            line.LegendText = m.Method;
            line.MarkerSize = 0;
        }
        losses.Title($"Fine-tuning loss (mean of {LossWindow} steps)");
        losses.XLabel("step");
        // The first steps start far higher (the soft prompt near 12); the plateaus that tell methods apart lie below 1.
        losses.Axes.SetLimitsY(0, 1);
        losses.ShowLegend(ScottPlot.Alignment.UpperRight);

        losses.SavePng(Path.Combine(directory, "loss.png"), 900, 500);

        var accuracy = new ScottPlot.Plot();
        var p = report.Prompting;
        var bars = new[] { ("zero-shot", p.ZeroShot), ("one-shot", p.OneShot), ($"{p.FewShotExamples}-shot", p.FewShot) }
            .Concat(report.Methods.Select(m => (m.Method, m.Accuracy))).ToArray();
        accuracy.Add.Bars(bars.Select(b => 100 * b.Item2).ToArray());
        accuracy.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Length).Select(i => (double)i).ToArray(), bars.Select(b => b.Item1).ToArray());
        accuracy.Axes.Bottom.TickLabelStyle.Rotation = 30;
        accuracy.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        accuracy.Axes.Bottom.MinimumSize = 150; // room for the rotated method names
        accuracy.Title("Task accuracy (%)");
        accuracy.SavePng(Path.Combine(directory, "accuracy.png"), 900, 500);
    }
}
