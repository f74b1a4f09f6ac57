using ModelDsl.Shared.Memory;

namespace ModelDsl.Training;

/// <summary>
/// What one training step (forward, backward, AdamW step) holds at its peak, from <see cref="MemoryEstimator"/>.
/// Bytes of tensors; the process adds its own libraries and allocator slack on top.
/// </summary>
/// <param name="Batch">Sequences per step.</param>
/// <param name="Sequence">Tokens per sequence.</param>
/// <param name="Precision">The trainer's number format.</param>
/// <param name="GradientCheckpointing">Whether blocks are recomputed in backward.</param>
/// <param name="Quantization">How the frozen block linears are stored, or <see langword="null"/> for the compute dtype.</param>
/// <param name="TrainableWeightBytes">What trains, in the compute dtype (the working copy under mixed precision).</param>
/// <param name="FrozenWeightBytes">What is frozen, in its stored dtype (codes and scales when quantized).</param>
/// <param name="MasterWeightBytes">float32 master copies of what trains under mixed precision; 0 in float32.</param>
/// <param name="GradientBytes">float32 gradients of what trains, plus the working gradients under mixed precision.</param>
/// <param name="OptimizerBytes">AdamW's two float32 moments per trainable value.</param>
/// <param name="ActivationBytes">What autograd keeps for backward, plus the loss's logits-sized buffers.</param>
/// <param name="LogitsBytes">Of <paramref name="ActivationBytes"/>: the logits, the log-softmax and their two gradients.</param>
public sealed record MemoryEstimate(
    int Batch,
    int Sequence,
    TrainingPrecision Precision,
    bool GradientCheckpointing,
    BaseQuantization? Quantization,
    long TrainableWeightBytes,
    long FrozenWeightBytes,
    long MasterWeightBytes,
    long GradientBytes,
    long OptimizerBytes,
    long ActivationBytes,
    long LogitsBytes)
{
    /// <summary>Every weight: trainable, frozen and float32 masters.</summary>
    public long WeightBytes => TrainableWeightBytes + FrozenWeightBytes + MasterWeightBytes;

    /// <summary>The step's peak: weights, gradients, optimizer state and activations.</summary>
    public long TotalBytes => WeightBytes + GradientBytes + OptimizerBytes + ActivationBytes;

    internal MemoryBreakdown Breakdown => new(TrainableWeightBytes, FrozenWeightBytes, MasterWeightBytes, GradientBytes, OptimizerBytes,
        ActivationBytes, LogitsBytes);

    /// <summary>
    /// E.g. <c>batch 8 × 256, fp32, checkpointing: 1,234.5 MiB = weights … + gradients … + AdamW state … + activations …</c>.
    /// </summary>
    public override string ToString()
    {
        var format = Precision switch
        {
            TrainingPrecision.BFloat16 => "bf16",
            TrainingPrecision.Float16 => "fp16",
            _ => "fp32",
        };
        var base_ = Quantization is { Bits: 4 } q ? $", NF4 base{(q.DoubleQuantize ? " (double-quantized)" : "")}"
            : Quantization is { Bits: 8 } ? ", int8 base" : "";
        return $"batch {Batch} × {Sequence}, {format}{(GradientCheckpointing ? ", checkpointing" : "")}{base_}: {Breakdown.Describe()}";
    }
}
