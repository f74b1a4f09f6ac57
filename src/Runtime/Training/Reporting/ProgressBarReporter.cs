using System;
using System.Globalization;
using Spectre.Console;

namespace ModelDsl.Training.Reporting;

/// <summary>A live progress bar with loss and throughput, for an interactive terminal.</summary>
sealed class ProgressBarReporter(ProgressTask task, IAnsiConsole console) : ITrainingReporter
{
    /// <summary>Runs <paramref name="train"/> under a Spectre progress display and returns its result.</summary>
    public static T Run<T>(IAnsiConsole console, Func<ITrainingReporter, T> train)
    {
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx => result = train(new ProgressBarReporter(ctx.AddTask("training"), console)));
        return result;
    }

    public void Started(long totalSteps, long startStep, long trainableParameters)
    {
        task.MaxValue = totalSteps;
        task.Value = startStep;
    }

    public void Stepped(StepRecord s, TimeSpan eta)
    {
        task.Value = s.Step;
        task.Description = string.Format(CultureInfo.InvariantCulture,
            "step {0}/{1} loss {2:F4} {3:F0} tok/s", s.Step, s.TotalSteps, s.Loss, s.TokensPerSecond);
    }

    public void Evaluated(EvalRecord e) =>
        console.MarkupLine(Markup.Escape(e.Metrics is null
            ? string.Format(CultureInfo.InvariantCulture, "eval step {0}: loss {1:F4}, perplexity {2:F3}, token accuracy {3:P1}", e.Step, e.Loss, e.Perplexity, e.TokenAccuracy)
            : string.Format(CultureInfo.InvariantCulture, "eval step {0}: loss {1:F4}", e.Step, e.Loss) + ObjectiveMetrics.Text(e.Metrics)));

    public void Note(string message) => console.MarkupLine(Markup.Escape(message));

    public void Finished(TrainingResult result) => task.StopTask();
}
