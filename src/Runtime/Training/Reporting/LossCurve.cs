using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Training.Reporting;

/// <summary>Draws the training (and eval) loss against the step as a PNG.</summary>
static class LossCurve
{
    /// <summary>The file name inside the output directory.</summary>
    public const string FileName = "loss.png";

    public static void Save(string path, IReadOnlyList<double> trainLoss, IReadOnlyList<EvalRecord> evals)
    {
        var plot = new ScottPlot.Plot();
        var steps = Enumerable.Range(1, trainLoss.Count).Select(i => (double)i).ToArray();
        var train = plot.Add.Scatter(steps, trainLoss.ToArray());
        train.LegendText = "train";
        train.MarkerSize = 0;
        if (evals.Count > 0)
        {
            var eval = plot.Add.Scatter(evals.Select(e => (double)e.Step).ToArray(), evals.Select(e => e.Loss).ToArray());
            eval.LegendText = "eval";
        }
        plot.Title("Loss");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }
}
