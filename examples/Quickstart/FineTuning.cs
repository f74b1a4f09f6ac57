using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Peft;
using ModelDsl.Training;

namespace Quickstart;

/// <summary>What one fine-tuning method achieved with the shared step budget.</summary>
public sealed record MethodResult(
    string Method, long TrainableParameters, long TotalParameters, double Accuracy, double UnwrittenAccuracy,
    double BaseLossBefore, double BaseLossAfter, double TrainSeconds, long PeakWorkingSetBytes, long SavedBytes,
    IReadOnlyList<double> Losses)
{
    public double TrainablePercent => 100.0 * TrainableParameters / TotalParameters;
    public double Forgetting => BaseLossAfter - BaseLossBefore;
}

/// <summary>Fine-tunes one setup on the task with the shared budget and measures it.</summary>
public sealed class FineTuning(QuickstartOptions o, TokenizedDataset train, IReadOnlyList<Story> eval, TokenizedDataset baseSkill,
    double baseLossBefore, TextWriter log)
{
    /// <summary>
    /// Trains <paramref name="setup"/> for the shared number of steps at <paramref name="learningRate"/> (each method at a
    /// rate that suits it, as one would tune it), then measures accuracy through <paramref name="answer"/>, the base skill,
    /// and the size of what must be stored: the PEFT adapter, or the whole model for full fine-tuning.
    /// </summary>
    public MethodResult Run(string method, PeftSetup setup, double learningRate, Func<Story, string> answer)
    {
        log.WriteLine($"— {method}: {setup.Summary()}");
        var peak = new WorkingSetPeak();
        peak.Sample();
        using var trainer = new Trainer(setup, new TrainerOptions
        {
            MaxSteps = o.FineTuneSteps, BatchSize = 16, LearningRate = learningRate, WarmupSteps = 5, Seed = o.Seed,
            LogEvery = Math.Max(1, o.FineTuneSteps / 2),
        }, log);
        trainer.StepCompleted += _ => peak.Sample();
        var clock = Stopwatch.StartNew();
        var result = trainer.Fit(train);
        var seconds = clock.Elapsed.TotalSeconds;

        var directory = Path.Combine(o.OutputDir, "adapters", Slug(method));
        if (setup.Config is FullFineTuneConfig) ((WorldGpt)setup.BaseModel).SavePretrained(directory);
        else setup.SaveAdapter(directory);
        var score = Measure.Accuracy(eval, answer);
        return new MethodResult(method, setup.CountTrainableParameters(), setup.CountAllParameters(),
            score.Accuracy, score.UnwrittenAccuracy, baseLossBefore, Measure.LanguageModelLoss(setup, baseSkill), seconds,
            peak.Bytes, Measure.DirectoryBytes(directory), result.LossHistory);
    }

    public static string Slug(string method) => method.ToLowerInvariant().Replace(' ', '-').Replace("(", "").Replace(")", "");
}
