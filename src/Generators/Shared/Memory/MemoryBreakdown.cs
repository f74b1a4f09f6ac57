using System.Globalization;

namespace ModelDsl.Shared.Memory;

/// <summary>The bytes one training step holds at its peak, by what holds them (see <see cref="TrainingMemoryRule"/>).</summary>
/// <param name="TrainableWeightBytes">What trains, in the compute dtype (the working copy under mixed precision).</param>
/// <param name="FrozenWeightBytes">What is frozen, in its stored dtype (quantized codes and scales for a quantized base).</param>
/// <param name="MasterWeightBytes">float32 master copies of what trains under mixed precision; 0 in float32.</param>
/// <param name="GradientBytes">Gradients of what trains (float32 master gradients plus the working ones under mixed precision).</param>
/// <param name="OptimizerBytes">AdamW's two float32 moments per trainable value.</param>
/// <param name="ActivationBytes">What the forward keeps for backward plus the loss's logits-sized buffers; null when not estimated.</param>
/// <param name="LogitsBytes">Of <paramref name="ActivationBytes"/>, the logits and the loss's buffers of the same size.</param>
internal sealed record MemoryBreakdown(long TrainableWeightBytes, long FrozenWeightBytes, long MasterWeightBytes, long GradientBytes,
    long OptimizerBytes, long? ActivationBytes, long LogitsBytes)
{
    /// <summary>All weights: trainable, frozen and masters.</summary>
    public long WeightBytes => TrainableWeightBytes + FrozenWeightBytes + MasterWeightBytes;

    /// <summary>The sum of every part (activations as 0 when not estimated).</summary>
    public long TotalBytes => WeightBytes + GradientBytes + OptimizerBytes + (ActivationBytes ?? 0);

    /// <summary>One line: <c>1,234.5 MiB = weights … + gradients … + AdamW state … + activations …</c>.</summary>
    public string Describe()
    {
        var activations = ActivationBytes is { } a
            ? $" + activations {Mib(a)} (of which logits and loss {Mib(LogitsBytes)})"
            : " (activations not estimated)";
        var masters = MasterWeightBytes > 0 ? $", fp32 masters {Mib(MasterWeightBytes)}" : "";
        return $"{Mib(TotalBytes)} = weights {Mib(WeightBytes)} (trainable {Mib(TrainableWeightBytes)}, frozen {Mib(FrozenWeightBytes)}{masters})"
               + $" + gradients {Mib(GradientBytes)} + AdamW state {Mib(OptimizerBytes)}{activations}";
    }

    /// <summary>Bytes in MiB with one decimal and thousands separators, invariant culture.</summary>
    public static string Mib(long bytes) => (bytes / 1048576.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";
}
