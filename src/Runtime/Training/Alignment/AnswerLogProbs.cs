using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Training.Alignment;

/// <summary>Per-sequence log-probabilities of the scored (answer) tokens: the logits at t score the label at t + 1.</summary>
public static class AnswerLogProbs
{
    /// <summary>
    /// For logits <c>[B, T, V]</c> and labels <c>[B, T]</c> (<see cref="TokenizedSequence.Ignore"/> outside the answer), each
    /// sequence's summed log-probability of its answer tokens <c>[B]</c> (with gradients) and how many there are <c>[B]</c>.
    /// </summary>
    public static (Tensor Sum, Tensor Count) Of(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        long batch = logits.shape[0], time = logits.shape[1], vocab = logits.shape[2];
        // Labels move left by one rather than the logits being sliced (that would copy [B, T, V] and its gradient).
        var ignored = full(batch, 1, TokenizedSequence.Ignore, dtype: labels.dtype, device: labels.device);
        var target = cat([labels[.., 1..], ignored], dim: 1);                                       // (B, T)
        // Cross-entropy with no reduction is −log p(label) and 0 at ignored positions, without a [B, T, V] log-softmax copy.
        var nll = nn.functional.cross_entropy(Precision.LossPrecision.InFloat32(logits).reshape(-1, vocab), target.reshape(-1),
            ignore_index: TokenizedSequence.Ignore, reduction: nn.Reduction.None).reshape(batch, time); // (B, T)
        var sum = nll.sum(1).neg();                                                                  // (B)
        var count = target.ne(TokenizedSequence.Ignore).sum(1);                                       // (B)
        return (sum.MoveToOuterDisposeScope(), count.MoveToOuterDisposeScope());
    }
}
