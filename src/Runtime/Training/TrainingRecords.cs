using System;
using System.Collections.Generic;

namespace ModelDsl.Training;

/// <summary>What one optimizer step did.</summary>
/// <param name="Step">1-based optimizer step.</param>
/// <param name="TotalSteps">Steps the run is planned for.</param>
/// <param name="Epoch">0-based pass over the training data this step's data came from.</param>
/// <param name="Loss">Mean next-token loss over the step's scored tokens (all micro-batches).</param>
/// <param name="LearningRate">The rate the step used.</param>
/// <param name="GradientNorm">Global gradient norm before clipping.</param>
/// <param name="Tokens">Non-padding tokens processed.</param>
/// <param name="TokensPerSecond">Throughput of this step.</param>
/// <param name="Metrics">
/// The objective's own per-step means (e.g. DPO's <c>rewards/accuracies</c>, <c>rewards/margins</c>), written to
/// <c>metrics.jsonl</c> under these names; <see langword="null"/> for next-token training.
/// </param>
/// <param name="LossScale">The float16 loss scale the step's backward used (<see cref="TrainingPrecision.Float16"/> only).</param>
/// <param name="Skipped">
/// Whether the step's float16 gradients overflowed, so the optimizer did not step (the weights are unchanged, the loss
/// scale was lowered and <see cref="GradientNorm"/> is infinite).
/// </param>
public sealed record StepRecord(long Step, long TotalSteps, int Epoch, double Loss, double LearningRate,
    double GradientNorm, long Tokens, double TokensPerSecond, IReadOnlyDictionary<string, double>? Metrics = null,
    double? LossScale = null, bool Skipped = false);

/// <summary>An evaluation pass.</summary>
/// <param name="Step">Optimizer step after which it ran.</param>
/// <param name="Loss">Mean loss of the objective: next-token loss over the scored tokens, or a preference loss over the pairs.</param>
/// <param name="Perplexity"><c>exp(Loss)</c> for next-token training; NaN for objectives where it means nothing.</param>
/// <param name="TokenAccuracy">Share of scored tokens whose most likely prediction is right (meaningful for labelled tasks); NaN for preference objectives.</param>
/// <param name="ScoredTokens">Number of scored tokens (preference objectives: scored answer tokens of both answers).</param>
/// <param name="Metrics">The objective's own means (e.g. <c>rewards/accuracies</c>); <see langword="null"/> for next-token training.</param>
public sealed record EvalRecord(long Step, double Loss, double Perplexity, double TokenAccuracy, long ScoredTokens,
    IReadOnlyDictionary<string, double>? Metrics = null);

/// <summary>Why <see cref="Trainer.Fit(ModelDsl.Data.TokenizedDataset, ModelDsl.Data.TokenizedDataset?, System.Threading.CancellationToken)"/> returned.</summary>
public enum StopReason
{
    /// <summary>The step or epoch budget was used up.</summary>
    Completed,

    /// <summary>The eval loss stopped improving for the configured patience.</summary>
    EarlyStopped,

    /// <summary>The cancellation token fired; a checkpoint was saved when a checkpoint directory is set.</summary>
    Cancelled,
}

/// <summary>The outcome of a training run.</summary>
public sealed record TrainingResult
{
    /// <summary>Why training stopped.</summary>
    public required StopReason StopReason { get; init; }

    /// <summary>Optimizer steps completed in total (including those before a resume).</summary>
    public required long Step { get; init; }

    /// <summary>Steps the run was planned for.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>The steps this call ran.</summary>
    public required IReadOnlyList<StepRecord> Steps { get; init; }

    /// <summary>Training loss of every step of the run, including those before a resume.</summary>
    public required IReadOnlyList<double> LossHistory { get; init; }

    /// <summary>Evaluations this call ran.</summary>
    public required IReadOnlyList<EvalRecord> Evaluations { get; init; }

    /// <summary>Lowest eval loss of the run, or <see langword="null"/> without evaluation.</summary>
    public double? BestEvalLoss { get; init; }

    /// <summary>Checkpoint holding <see cref="BestEvalLoss"/>, or <see langword="null"/>.</summary>
    public string? BestCheckpoint { get; init; }

    /// <summary>The newest checkpoint written, or <see langword="null"/>.</summary>
    public string? LastCheckpoint { get; init; }

    /// <summary>Wall time of this call.</summary>
    public TimeSpan Duration { get; init; }
}
