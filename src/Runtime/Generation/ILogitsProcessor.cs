using static TorchSharp.torch;

namespace ModelDsl.Generation;

/// <summary>Changes a decoding step's last-position logits before a token is picked (for example, masks disallowed tokens).</summary>
internal interface ILogitsProcessor
{
    /// <summary>The logits <c>[B, V]</c> to pick from at generation step <paramref name="step"/> (0 for the first new token).</summary>
    Tensor Process(Tensor logits, int step);
}
