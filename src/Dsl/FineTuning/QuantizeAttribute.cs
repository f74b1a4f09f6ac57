using System;
using ModelDsl.Shared;

namespace ModelDsl;

/// <summary>
/// Stores the frozen base of the setup beside it (<see cref="FineTuneAttribute{TModel}"/>) quantized, as Hugging Face
/// transformers does with bitsandbytes: every linear layer inside the transformer blocks (not the embeddings, not the
/// LM head, as transformers skips <c>lm_head</c>) is replaced, when the setup is constructed, by its 4-bit NF4 or 8-bit
/// int8 codes, dequantized to the compute dtype in each forward and backward. The adapters on top train in floating
/// point: with <see cref="LoRAAttribute"/> this is QLoRA (Dettmers et al., 2023). A setup that trains the base's
/// linear weights (full fine-tuning, or a selective setup that unfreezes one) cannot be quantized.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class QuantizeAttribute : Attribute
{
    /// <summary>4 = NF4 in absmax blocks (bitsandbytes' <c>load_in_4bit</c>, <c>nf4</c>); 8 = int8 with one absmax per row (<c>load_in_8bit</c>). Default 4.</summary>
    public int Bits { get; set; } = DslDefaults.QuantizeBits;

    /// <summary>
    /// 4-bit only: values per absmax block, a power of two from 32 to 4096 that divides every quantized layer's input
    /// width (default 64, bitsandbytes' 4-bit default).
    /// </summary>
    public int BlockSize { get; set; } = DslDefaults.QuantizeBlockSize;

    /// <summary>
    /// 4-bit only: quantize the absmax scales themselves to 8 bits in blocks of 256 (<c>bnb_4bit_use_double_quant</c>).
    /// Default <see langword="true"/>, as the QLoRA recipe uses it (transformers' <c>BitsAndBytesConfig</c> has it off
    /// unless asked).
    /// </summary>
    public bool DoubleQuantization { get; set; } = DslDefaults.QuantizeDoubleQuantization;
}
