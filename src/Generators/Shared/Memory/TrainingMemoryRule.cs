using System;
using System.Linq;

namespace ModelDsl.Shared.Memory;

/// <summary>
/// What one training step (forward, backward, AdamW step) holds at its peak, counted from what this runtime's modules
/// actually keep; the generator's setup docs and the runtime's <c>EstimateMemory</c> both use it.
/// </summary>
/// <remarks>
/// <para>Weights: what trains in the compute dtype, plus float32 masters under mixed precision; what is frozen in the
/// compute dtype, or quantized (NF4: ½ byte per value + a float32 absmax per block, or an 8-bit absmax code with double
/// quantization; int8: 1 byte per value + a float32 scale per row) plus each matrix's lookup tables. Gradients: float32
/// per trainable value, plus the compute-dtype working gradients under mixed precision. AdamW: two float32 moments.</para>
/// <para>Activations, per token (b = compute dtype bytes): autograd keeps a linear layer's input only when its weight
/// trains or LoRA reads it (LoRA adds its rank-wide <c>lora_A</c> output, and with dropout a dropped copy of the input
/// and its one-byte mask); a layer norm keeps its input and two float32
/// statistics; an RMS norm its float32 input (and its normed output when its weight trains); attention (fused kernel)
/// keeps q, k, v, its output and a float32 log-sum-exp per head; GELU its input; the gated MLP gate, act(gate) and up.
/// The loss keeps the logits (b·V, held by the step), the float32 log-softmax (4·V) and, in backward, its gradient and
/// the logits' gradient (2 × 4·V) at the same time. With checkpointing only each block's input stays, and backward
/// recomputes one block at a time while the logits are still held.</para>
/// </remarks>
internal static class TrainingMemoryRule
{
    /// <summary>Bytes of one element in <paramref name="format"/>.</summary>
    public static int ComputeBytes(ComputeFormat format) => format == ComputeFormat.Float32 ? 4 : 2;

    /// <summary>The breakdown for <paramref name="inputs"/>.</summary>
    public static MemoryBreakdown Estimate(MemoryInputs inputs)
    {
        if (inputs is null) throw new ArgumentNullException(nameof(inputs));
        long b = ComputeBytes(inputs.Format);
        bool mixed = inputs.Format != ComputeFormat.Float32;
        long trainable = inputs.TrainableParameters;
        long quantizedValues = inputs.QuantizedMatrices.Sum(m => m.Rows * m.Columns);
        long quantizedBytes = inputs.Quantization is { } q ? inputs.QuantizedMatrices.Sum(m => QuantizedBytes(q, m.Rows, m.Columns)) : 0;
        long frozenBytes = (inputs.FrozenParameters - (inputs.Quantization is null ? 0 : quantizedValues)) * b + quantizedBytes;
        long activations = 0, logits = 0;
        if (inputs.Activations is { } shape)
            (activations, logits) = Activations(shape, inputs, b);
        return new MemoryBreakdown(
            TrainableWeightBytes: trainable * b,
            FrozenWeightBytes: frozenBytes,
            MasterWeightBytes: mixed ? trainable * 4 : 0,
            GradientBytes: trainable * 4 + (mixed ? trainable * b : 0),
            OptimizerBytes: trainable * 8,
            ActivationBytes: inputs.Activations is null ? null : activations,
            LogitsBytes: logits);
    }

    /// <summary>Bytes of one quantized matrix of <paramref name="rows"/> × <paramref name="columns"/> values, as the runtime stores it.</summary>
    public static long QuantizedBytes(QuantizationFormat format, long rows, long columns)
    {
        long n = rows * columns;
        if (format.Bits == 8) return n + 4 * rows;                                   // int8 codes + float32 row scales
        long blocks = (n + format.BlockSize - 1) / format.BlockSize;
        long tables = 16 * 4 + 256 * 2 * 4;                                          // NF4 code map + byte → value pairs
        long scales = format.DoubleQuantize
            ? blocks + 4 * ((blocks + 255) / 256) + 256 * 4                           // 8-bit absmax codes + nested absmax + map
            : 4 * blocks;                                                            // float32 absmax
        return (n + 1) / 2 + scales + tables;
    }

    /// <summary>Bytes per token one block keeps for backward.</summary>
    public static long BlockBytesPerToken(ActivationShape shape, BlockTraining block, long b)
    {
        long d = shape.Dim, ffn = shape.Ffn;
        long saved = block.LoraWidth * b + block.LoraDropoutWidth * (b + 1);        // lora_A outputs; dropped inputs + masks
        if (shape.Gpt2Block)
        {
            saved += 2 * (d * b + 8);                                                // ln_1, ln_2: input + mean, rstd
            saved += 3 * d * b + d * b + shape.Heads * 4;                            // attention: q, k, v (the qkv tensor), output, lse
            saved += 4 * d * b;                                                      // GELU input
            if (block.AttentionInputSaved) saved += d * b;
            if (block.AttentionOutputSaved) saved += d * b;
            if (block.MlpInputSaved) saved += d * b;
            if (block.MlpHiddenSaved) saved += 4 * d * b;
            return saved;
        }
        long q = shape.Heads * shape.HeadWidth, kv = shape.KvHeads * shape.HeadWidth;
        long attendedKv = shape.KvHeads == shape.Heads ? kv : q;                      // repeated for grouped-query attention
        saved += 2 * RmsNormBytes(d, block.NormWeightsTrain, b);
        if (shape.QkNorm) saved += RmsNormBytes(q, block.NormWeightsTrain, b) + RmsNormBytes(kv, block.NormWeightsTrain, b);
        saved += q * b + 2 * attendedKv * b + q * b + shape.Heads * 4;              // rotated q, k, v, output, lse
        saved += 3 * ffn * b;                                                         // gate, act(gate), up
        if (block.AttentionInputSaved) saved += d * b;
        if (block.AttentionOutputSaved) saved += q * b;
        if (block.MlpInputSaved) saved += d * b;
        if (block.MlpHiddenSaved) saved += ffn * b;
        return saved;
    }

    // float32 input (an upcast copy in half precision) and its per-token rsqrt; the normed output when the weight trains.
    static long RmsNormBytes(long width, bool weightTrains, long b) => width * 4 + 4 + (weightTrains ? width * b : 0);

    static (long Activations, long Logits) Activations(ActivationShape shape, MemoryInputs inputs, long b)
    {
        long tokens = inputs.Batch * inputs.Sequence, d = shape.Dim, v = shape.Vocab;
        long head = shape.Gpt2Block ? d * b + 8 : RmsNormBytes(d, inputs.FinalNormTrains, b);
        if (inputs.HeadTrains) head += d * b;
        long heldLogits = v * b;
        long lossPeak = heldLogits + 3 * v * 4;                                       // logits + log-softmax + two gradients
        long perToken;
        if (inputs.GradientCheckpointing)
        {
            long largestBlock = inputs.Blocks.Count == 0 ? 0 : inputs.Blocks.Max(block => BlockBytesPerToken(shape, block, b));
            perToken = shape.Layers * d * b + head + Math.Max(lossPeak, heldLogits + largestBlock);
        }
        else
        {
            perToken = inputs.Blocks.Sum(block => BlockBytesPerToken(shape, block, b)) + head + lossPeak;
        }
        return (perToken * tokens, lossPeak * tokens);
    }
}
