namespace ModelDsl.Training;

/// <summary>
/// The number format a <see cref="Trainer"/> computes in (<see cref="TrainerOptions.Precision"/>). In the
/// low-precision formats the trainer keeps float32 master copies of the trainable parameters and float32 optimizer
/// state, stores the whole model (the frozen base included) in the low-precision dtype, and computes the loss from
/// float32 logits.
/// </summary>
public enum TrainingPrecision
{
    /// <summary>Everything in float32 (the default).</summary>
    Float32,

    /// <summary>bfloat16 compute with float32 masters: float32's range, so no loss scaling is needed.</summary>
    BFloat16,

    /// <summary>
    /// float16 compute with float32 masters and dynamic loss scaling: a step whose gradients overflow is skipped and
    /// the scale lowered (<see cref="TrainerOptions.InitialLossScale"/>, <see cref="TrainerOptions.LossScaleGrowthInterval"/>).
    /// </summary>
    Float16,
}
