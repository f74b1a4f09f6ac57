using static TorchSharp.torch;

namespace ModelDsl.Training.Precision;

/// <summary>
/// Losses are computed in float32 whatever the model computes in, as PyTorch's autocast does for cross-entropy and
/// log-sigmoid: a bfloat16 log-softmax over a vocabulary loses the small probabilities the loss is made of.
/// </summary>
internal static class LossPrecision
{
    /// <summary><paramref name="values"/> itself when float32 (or float64), else a float32 copy that carries gradients back.</summary>
    public static Tensor InFloat32(Tensor values) =>
        values.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? values.to_type(ScalarType.Float32) : values;
}
