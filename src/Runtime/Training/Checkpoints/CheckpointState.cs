using System.Collections.Generic;

namespace ModelDsl.Training.Checkpoints;

/// <summary>
/// Everything besides tensors that a resumed run needs to continue exactly, stored as
/// <c>trainer_state.json</c> in each checkpoint.
/// </summary>
public sealed record CheckpointState
{
    /// <summary>
    /// The newest format version this runtime writes and reads (2 added <see cref="RunId"/>; 3 added
    /// <see cref="Precision"/>, the loss scaler's state and <see cref="OptimizerSteps"/>).
    /// </summary>
    public const int CurrentVersion = 3;

    /// <summary>Format version of this file.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>
    /// The run this checkpoint belongs to (empty in checkpoints written before runs were recorded). Pruning and
    /// "newest checkpoint" only ever consider the run that owns the folder.
    /// </summary>
    public string RunId { get; init; } = "";

    /// <summary>Optimizer steps completed (also the learning-rate schedule's position).</summary>
    public long Step { get; init; }

    /// <summary>Steps the run was planned for (the schedule's length).</summary>
    public long TotalSteps { get; init; }

    /// <summary>Micro-batches consumed so far: the data position.</summary>
    public long MicroBatchesConsumed { get; init; }

    /// <summary>The seed the run started with.</summary>
    public int Seed { get; init; }

    /// <summary>The CPU random generator's state (dropout), base64.</summary>
    public string RngState { get; init; } = "";

    /// <summary>Lowest eval loss so far, or <see langword="null"/>.</summary>
    public double? BestEvalLoss { get; init; }

    /// <summary>Directory name of the checkpoint with <see cref="BestEvalLoss"/>, or <see langword="null"/>.</summary>
    public string? BestCheckpoint { get; init; }

    /// <summary>Evaluations in a row without improvement (early stopping's counter).</summary>
    public int EvalsWithoutImprovement { get; init; }

    /// <summary>
    /// AdamW's step count (its bias correction), when it differs from <see cref="Step"/>: float16 steps skipped after an
    /// overflow do not count. <see langword="null"/>: equal to <see cref="Step"/>.
    /// </summary>
    public long? OptimizerSteps { get; init; }

    /// <summary>The number format the run trained in: <c>float32</c> (also for older checkpoints), <c>bfloat16</c> or <c>float16</c>.</summary>
    public string Precision { get; init; } = "float32";

    /// <summary>The float16 loss scale for the next step; <see langword="null"/> in the other formats.</summary>
    public double? LossScale { get; init; }

    /// <summary>Clean float16 steps in a row since the loss scale last changed.</summary>
    public int LossScaleGrowthTracker { get; init; }

    /// <summary>Training loss of every step so far (for the curve and the history).</summary>
    public List<double> StepLosses { get; init; } = [];
}
