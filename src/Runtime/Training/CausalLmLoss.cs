using ModelDsl.Data;
using ModelDsl.Training.Precision;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Next-token cross-entropy: the logits at position t are scored against the label at t + 1; positions
/// labelled <see cref="TokenizedSequence.Ignore"/> (prompts, padding) are left out.
/// </summary>
public static class CausalLmLoss
{
    /// <summary>
    /// Summed negative log-likelihood (a float32 scalar that carries gradients) over the scored positions; bfloat16 or
    /// float16 logits are scored in float32.
    /// </summary>
    public static Tensor SumNll(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (flatLogits, flatLabels) = Shift(LossPrecision.InFloat32(logits), labels);
        return nn.functional.cross_entropy(flatLogits, flatLabels, ignore_index: TokenizedSequence.Ignore, reduction: nn.Reduction.Sum)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="SumNll"/> of the logits <c>hidden · headWeightᵀ</c> without materialising them: final hidden states
    /// <c>[B, T, D]</c> (float32) and a frozen head weight <c>[V, D]</c> (see <see cref="HeadCrossEntropy"/>).
    /// </summary>
    internal static Tensor SumNllThroughHead(Tensor hidden, Tensor headWeight, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var flatHidden = hidden.reshape(-1, hidden.shape[^1]);                                        // (B·T, D)
        return HeadCrossEntropy.Compute(flatHidden, headWeight, ShiftedTargets(labels), TokenizedSequence.Ignore).MoveToOuterDisposeScope();
    }

    /// <summary>How many scored positions the argmax of <paramref name="logits"/> predicts correctly.</summary>
    public static long CorrectPredictions(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (flatLogits, flatLabels) = Shift(logits, labels);
        var scored = flatLabels.ne(TokenizedSequence.Ignore);
        return flatLogits.argmax(-1).eq(flatLabels).logical_and(scored).sum().item<long>();
    }

    static (Tensor Logits, Tensor Labels) Shift(Tensor logits, Tensor labels)
    {
        // The labels move left by one and the last position is ignored, rather than the logits being sliced: slicing
        // (B, T, V) logits copies them, and its gradient is a second (B, T, V) buffer.
        var vocab = logits.shape[^1];
        var predicted = logits.reshape(-1, vocab);                                                   // (B·T, V), a view when contiguous
        return (predicted, ShiftedTargets(labels));
    }

    /// <summary>The label each position predicts, flattened: the next position's, and ignored for the last.</summary>
    static Tensor ShiftedTargets(Tensor labels)
    {
        var ignored = full(labels.shape[0], 1, TokenizedSequence.Ignore, dtype: labels.dtype, device: labels.device);
        return cat([labels[.., 1..], ignored], dim: 1).reshape(-1);                                  // (B·T)
    }
}
