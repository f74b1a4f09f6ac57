using System;

namespace ModelDsl.Training;

/// <summary>The loss (or the gradient norm) became NaN or infinite; training stopped before the update.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for optimizer step <paramref name="step"/>.</summary>
    public TrainingDivergedException(long step, string quantity, double value, string? lastGoodCheckpoint)
        : base($"Training diverged at step {step}: the {quantity} is {value}. "
            + "Likely causes: a learning rate that is too high (lower it or add warmup), bad data "
            + "(empty or garbage rows, labels outside the vocabulary), or fp16 overflow (train in fp32 or bf16). "
            + (lastGoodCheckpoint is null
                ? "No checkpoint had been written yet."
                : $"The last good checkpoint is '{lastGoodCheckpoint}'."))
    {
        Step = step;
        LastGoodCheckpoint = lastGoodCheckpoint;
    }

    /// <summary>The 1-based optimizer step whose loss was not finite.</summary>
    public long Step { get; }

    /// <summary>The newest checkpoint written before the divergence, or <see langword="null"/>.</summary>
    public string? LastGoodCheckpoint { get; }
}
