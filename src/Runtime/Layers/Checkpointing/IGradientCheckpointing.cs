namespace ModelDsl.Layers.Checkpointing;

/// <summary>
/// A model whose repeated blocks can run under <see cref="GradientCheckpoint"/>: the family models, and every declared
/// <c>[Model]</c> whose <c>[Repeat]</c> blocks take tensors and return one. The trainer's <c>GradientCheckpointing</c>
/// option sets <see cref="GradientCheckpointing"/>; a model without this interface is refused by name.
/// </summary>
public interface IGradientCheckpointing
{
    /// <summary>
    /// While training with gradients recorded, each block keeps only its input and runs its forward again in backward
    /// (one tensor per block instead of every intermediate, for about a third more compute). Gradients equal those of
    /// the plain forward; evaluation and forwards under <c>no_grad</c> run as usual.
    /// </summary>
    bool GradientCheckpointing { get; set; }
}
