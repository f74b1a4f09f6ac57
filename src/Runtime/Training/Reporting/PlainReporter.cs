using System;
using System.Globalization;
using System.IO;

namespace ModelDsl.Training.Reporting;

/// <summary>One readable line per logged step or evaluation, for redirected output and logs.</summary>
sealed class PlainReporter(TextWriter writer, int logEvery) : ITrainingReporter
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public void Started(long totalSteps, long startStep, long trainableParameters) =>
        Line(startStep == 0
            ? $"training: {totalSteps} steps, {trainableParameters:N0} trainable parameters"
            : $"training: resuming at step {startStep} of {totalSteps}, {trainableParameters:N0} trainable parameters");

    public void Stepped(StepRecord s, TimeSpan eta)
    {
        if (s.Step % logEvery != 0 && s.Step != s.TotalSteps && s.Step != 1) return;
        Line(string.Format(Invariant, "step {0}/{1}  loss {2:F4}  lr {3:E2}  grad {4:F3}  tok/s {5:F0}  eta {6}",
            s.Step, s.TotalSteps, s.Loss, s.LearningRate, s.GradientNorm, s.TokensPerSecond, Format(eta)) + ObjectiveMetrics.Text(s.Metrics));
    }

    public void Evaluated(EvalRecord e) =>
        Line(e.Metrics is null
            ? string.Format(Invariant, "eval  step {0}  loss {1:F4}  perplexity {2:F3}  token accuracy {3:P1}", e.Step, e.Loss, e.Perplexity, e.TokenAccuracy)
            : string.Format(Invariant, "eval  step {0}  loss {1:F4}", e.Step, e.Loss) + ObjectiveMetrics.Text(e.Metrics));

    public void Note(string message) => Line(message);

    public void Finished(TrainingResult result)
    {
        foreach (var (name, value) in SummaryTable.Rows(result))
            Line($"{name,-18} {value}");
    }

    void Line(string text)
    {
        writer.WriteLine(text);
        writer.Flush();
    }

    internal static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", Invariant) : t.ToString(@"mm\:ss", Invariant);
}
