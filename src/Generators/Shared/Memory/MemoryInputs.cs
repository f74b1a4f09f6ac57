using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Shared.Memory;

/// <summary>The number format a training step computes in (the trainer's <c>Precision</c>).</summary>
internal enum ComputeFormat
{
    /// <summary>Everything in float32.</summary>
    Float32,
    /// <summary>bfloat16 working weights and activations, float32 masters of what trains.</summary>
    BFloat16,
    /// <summary>float16 working weights and activations, float32 masters of what trains.</summary>
    Float16,
}

/// <summary>
/// How the frozen linear weights of the blocks are stored: <paramref name="Bits"/> 4 is NF4 in blocks of
/// <paramref name="BlockSize"/> values with a float32 absmax each (8-bit absmax codes with
/// <paramref name="DoubleQuantize"/>), 8 is int8 with a float32 scale per output row.
/// </summary>
internal sealed record QuantizationFormat(int Bits, int BlockSize, bool DoubleQuantize);

/// <summary>How one block trains, by where its tensors are saved for backward (see <see cref="TrainingMemoryRule"/>).</summary>
/// <param name="AttentionInputSaved">A projection reading the normed block input trains or carries LoRA (GPT-2 <c>c_attn</c>, <c>q/k/v_proj</c>).</param>
/// <param name="AttentionOutputSaved">The output projection trains or carries LoRA (<c>attn.c_proj</c>, <c>o_proj</c>).</param>
/// <param name="MlpInputSaved">A projection reading the normed residual trains or carries LoRA (<c>c_fc</c>, <c>gate/up_proj</c>).</param>
/// <param name="MlpHiddenSaved">The MLP's down projection trains or carries LoRA (<c>mlp.c_proj</c>, <c>down_proj</c>).</param>
/// <param name="NormWeightsTrain">The block's norm weights train (an RMS norm then keeps its normed output).</param>
/// <param name="LoraWidth">The sum of the LoRA ranks on the block's linears (each keeps its <c>lora_A</c> output).</param>
/// <param name="LoraDropoutWidth">The sum of the input widths of the LoRA linears with dropout (each keeps a dropped copy and a mask).</param>
internal sealed record BlockTraining(bool AttentionInputSaved, bool AttentionOutputSaved, bool MlpInputSaved, bool MlpHiddenSaved,
    bool NormWeightsTrain, long LoraWidth, long LoraDropoutWidth = 0)
{
    /// <summary>Every weight of the block trains (full fine-tuning).</summary>
    public static BlockTraining Full { get; } = new(true, true, true, true, true, 0);

    /// <summary>Nothing in the block trains; gradients still flow through it.</summary>
    public static BlockTraining Frozen { get; } = new(false, false, false, false, false, 0);

    /// <summary>LoRA of <paramref name="rank"/> on the named linears of every block (e.g. <c>attn.c_attn</c>), the rest frozen.</summary>
    public static BlockTraining Lora(int rank, params string[] namesInBlock) =>
        From(namesInBlock.Select(name => (name, false, rank, 0L, 0.0)));

    /// <summary>
    /// The block's training from its modules: each is named inside the block as in the checkpoint (<c>attn.c_attn</c>,
    /// <c>self_attn.q_proj</c>, <c>ln_1</c>…), with whether its weight trains, its LoRA rank (0 for none), its input width and
    /// its LoRA dropout.
    /// </summary>
    public static BlockTraining From(IEnumerable<(string NameInBlock, bool WeightTrains, int LoraRank, long InFeatures, double LoraDropout)> modules)
    {
        bool attentionInput = false, attentionOutput = false, mlpInput = false, mlpHidden = false, norms = false;
        long lora = 0, dropout = 0;
        foreach (var (name, trains, rank, inFeatures, p) in modules)
        {
            bool saved = trains || rank > 0;
            lora += rank;
            if (rank > 0 && p > 0) dropout += inFeatures;
            switch (SiteOf(name))
            {
                case Site.AttentionInput: attentionInput |= saved; break;
                case Site.AttentionOutput: attentionOutput |= saved; break;
                case Site.MlpInput: mlpInput |= saved; break;
                case Site.MlpHidden: mlpHidden |= saved; break;
                case Site.Norm: norms |= trains; break;
            }
        }
        return new BlockTraining(attentionInput, attentionOutput, mlpInput, mlpHidden, norms, lora, dropout);
    }

    enum Site { Other, AttentionInput, AttentionOutput, MlpInput, MlpHidden, Norm }

    static Site SiteOf(string name) => name switch
    {
        "attn.c_attn" or "self_attn.q_proj" or "self_attn.k_proj" or "self_attn.v_proj" or "self_attn.qkv_proj" => Site.AttentionInput,
        "attn.c_proj" or "self_attn.o_proj" => Site.AttentionOutput,
        "mlp.c_fc" or "mlp.gate_proj" or "mlp.up_proj" or "mlp.gate_up_proj" => Site.MlpInput,
        "mlp.c_proj" or "mlp.down_proj" => Site.MlpHidden,
        "ln_1" or "ln_2" or "input_layernorm" or "post_attention_layernorm" => Site.Norm,
        _ => Site.Other,
    };
}

/// <summary>
/// The sizes the activation count needs, from a family shape: GPT-2's block (LayerNorm, fused <c>c_attn</c>, GELU MLP)
/// or the rotary decoder's (RMS norms, separate or fused projections, gated MLP).
/// </summary>
internal sealed record ActivationShape(bool Gpt2Block, int Layers, long Dim, long Heads, long KvHeads, long HeadWidth, long Ffn, long Vocab, bool QkNorm)
{
    /// <summary>The shape of a family model.</summary>
    public static ActivationShape Of(ModelDsl.Families.FamilyShape shape) =>
        new(shape.Family == ModelDsl.Families.FamilyKind.Gpt2, shape.Layers, shape.Dim, shape.Heads, shape.KvHeads, shape.HeadWidth,
            shape.Ffn, shape.Vocab, shape.Traits.QkNorm);
}

/// <summary>Everything one estimate depends on.</summary>
/// <param name="TrainableParameters">Distinct parameters the optimizer updates.</param>
/// <param name="FrozenParameters">Every other parameter (a tied weight counted once).</param>
/// <param name="QuantizedMatrices">The frozen block linear weights stored quantized, as (rows, columns); empty without quantization.</param>
/// <param name="Quantization">The format of <paramref name="QuantizedMatrices"/>, or null.</param>
/// <param name="Activations">The model's sizes, or null when its forward is not one the rule knows (activations are then not estimated).</param>
/// <param name="Blocks">How each block trains, one per layer (ignored without <paramref name="Activations"/>).</param>
/// <param name="HeadTrains">The output head's weight trains (so its input is kept; a tied head trains with the embedding).</param>
/// <param name="FinalNormTrains">The final norm's weight trains.</param>
/// <param name="Format">The compute format.</param>
/// <param name="GradientCheckpointing">Blocks are recomputed in backward.</param>
/// <param name="Batch">Sequences per step.</param>
/// <param name="Sequence">Tokens per sequence.</param>
internal sealed record MemoryInputs(
    long TrainableParameters,
    long FrozenParameters,
    IReadOnlyList<(long Rows, long Columns)> QuantizedMatrices,
    QuantizationFormat? Quantization,
    ActivationShape? Activations,
    IReadOnlyList<BlockTraining> Blocks,
    bool HeadTrains,
    bool FinalNormTrains,
    ComputeFormat Format,
    bool GradientCheckpointing,
    long Batch,
    long Sequence);
