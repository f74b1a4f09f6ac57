using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Spectre.Console;

namespace ModelDsl.Training.Reporting;

/// <summary>The end-of-run summary, as rows (for plain output) or as a Spectre table.</summary>
static class SummaryTable
{
    public static IEnumerable<(string Name, string Value)> Rows(TrainingResult r)
    {
        var c = CultureInfo.InvariantCulture;
        yield return ("stopped", r.StopReason.ToString());
        yield return ("steps", string.Create(c, $"{r.Step}/{r.TotalSteps}"));
        if (r.LossHistory.Count > 0) yield return ("final train loss", r.LossHistory[^1].ToString("F4", c));
        if (r.Evaluations.Count > 0)
        {
            var last = r.Evaluations[^1];
            yield return ("final eval loss", last.Loss.ToString("F4", c));
            if (double.IsFinite(last.Perplexity)) yield return ("perplexity", last.Perplexity.ToString("F3", c));
            if (double.IsFinite(last.TokenAccuracy)) yield return ("token accuracy", last.TokenAccuracy.ToString("P1", c));
            foreach (var (name, value) in last.Metrics ?? new Dictionary<string, double>()) yield return (name, value.ToString("F4", c));
        }
        if (r.BestEvalLoss is double best) yield return ("best eval loss", best.ToString("F4", c));
        if (r.BestCheckpoint is not null) yield return ("best checkpoint", r.BestCheckpoint);
        if (r.LastCheckpoint is not null) yield return ("last checkpoint", r.LastCheckpoint);
        if (r.Steps.Count > 0)
            yield return ("mean tokens/s", r.Steps.Average(s => s.TokensPerSecond).ToString("F0", c));
        yield return ("duration", PlainReporter.Format(r.Duration));
    }

    public static Table Build(TrainingResult r)
    {
        var table = new Table().Title("Training summary").AddColumn("metric").AddColumn("value");
        foreach (var (name, value) in Rows(r)) table.AddRow(Markup.Escape(name), Markup.Escape(value));
        return table;
    }
}
