using ModelDsl.Models;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Model FLOPs of one training step, counting only the matrix products that are really done.
/// <code>
/// N   = matmul weights: L·12·D² (c_attn, attn.c_proj, c_fc, mlp.c_proj) + V·D (the tied head)
/// A   = attention products per position, causal half: L·2·T·D  (QKᵀ and AV, 2 FLOPs per multiply-add)
/// full fine-tuning, per position:  6·N + 3·A          (forward 2N + A; input gradients 2N + 2A; weight gradients 2N)
/// frozen base (LoRA, prompt):      4·N + 3·A + 6·Nₐ   (no weight gradients of the base; Nₐ = trained LoRA weights)
/// </code>
/// Positions are the ones the model processes (prompt tuning adds its virtual tokens to every sequence), except for the
/// head, which runs on the real positions only; biases, norms, GELU, softmax and the embedding lookups are not counted.
/// </summary>
internal static class ModelFlops
{
    public static double MatmulWeights(Gpt2Config c) => TrunkWeights(c) + HeadWeights(c);

    static double TrunkWeights(Gpt2Config c) => c.Layers * 12.0 * c.Dim * c.Dim;

    static double HeadWeights(Gpt2Config c) => (double)c.Vocab * c.Dim;

    public static double PerStep(TrainingMode mode, Gpt2Config c, int batch, int sequence, long trainableParameters)
    {
        if (mode == TrainingMode.Prompt)
        {
            // The trunk runs on the virtual tokens too; the head (frozen: forward and input gradients) on the real ones.
            var positions = sequence + BenchShapes.PromptTokens;
            var trunk = 4 * TrunkWeights(c) + 3 * c.Layers * 2.0 * positions * c.Dim;
            return (trunk * positions + 4 * HeadWeights(c) * sequence) * batch;
        }
        var n = MatmulWeights(c);
        var attention = c.Layers * 2.0 * sequence * c.Dim;
        var perPosition = mode == TrainingMode.Full
            ? 6 * n + 3 * attention
            : 4 * n + 3 * attention + 6.0 * trainableParameters;
        return perPosition * batch * sequence;
    }
}
