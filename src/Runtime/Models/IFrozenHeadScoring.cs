using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// A causal LM whose next-token loss can be computed from its final hidden states and a frozen head weight, so that
/// training does not hold <c>[B, T, V]</c> logits (see <c>ModelDsl.Training.HeadCrossEntropy</c>). LoRA and prompt
/// tuning leave the head frozen; full fine-tuning does not, and takes the logits path.
/// </summary>
internal interface IFrozenHeadScoring
{
    /// <summary>
    /// The final hidden states for <paramref name="ids"/> <c>[B, T]</c> and the head's weight, or <see langword="null"/>
    /// when the head is not a frozen plain float32 product (then the caller runs <c>Forward</c> for logits).
    /// </summary>
    HiddenForScoring? TryHiddenForScoring(Tensor ids, Tensor? attentionMask);
}

/// <summary>Final hidden states <c>[B, T, D]</c> (owned by the caller) and the head's weight <c>[V, D]</c> (the model's; not to be disposed).</summary>
internal sealed record HiddenForScoring(Tensor Hidden, Tensor HeadWeight);
