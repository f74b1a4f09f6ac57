namespace ModelDsl.Shared;

/// <summary>
/// The defaults of the attributes' optional arguments, written once: the attributes (<c>src/Dsl</c>) initialise their
/// properties with these, the generator assumes them for arguments left out, and the runtime uses them where it needs
/// the same value. (Linked by source into all three assemblies.)
/// </summary>
internal static class DslDefaults
{
    /// <summary>PEFT's default <c>lora_alpha</c>.</summary>
    public const double LoraAlpha = 8;

    /// <summary>No dropout on the LoRA branch.</summary>
    public const double LoraDropout = 0;

    /// <summary>Width of a bottleneck adapter.</summary>
    public const int AdapterBottleneck = 64;

    /// <summary>Bits of a quantized frozen base: 4, NF4 (QLoRA).</summary>
    public const int QuantizeBits = 4;

    /// <summary>Values per absmax block of a 4-bit base (bitsandbytes' default <c>blocksize</c>).</summary>
    public const int QuantizeBlockSize = 64;

    /// <summary>
    /// Double quantization of the 4-bit scales: on, as the QLoRA recipe uses it (transformers' <c>BitsAndBytesConfig</c>
    /// leaves <c>bnb_4bit_use_double_quant</c> off unless asked).
    /// </summary>
    public const bool QuantizeDoubleQuantization = true;

    /// <summary>DPO's β (TRL's default).</summary>
    public const double DpoBeta = 0.1;

    /// <summary>Most tokens a text-answering prompt method generates.</summary>
    public const int PromptMaxNewTokens = 32;

    /// <summary>The text a bool-answering prompt method scores for <c>true</c>.</summary>
    public const string PromptTrueLabel = "yes";

    /// <summary>The text a bool-answering prompt method scores for <c>false</c>.</summary>
    public const string PromptFalseLabel = "no";

    /// <summary>Greedy decoding.</summary>
    public const double PromptTemperature = 0;

    /// <summary>No top-k limit.</summary>
    public const int PromptTopK = 0;

    /// <summary>No nucleus limit.</summary>
    public const double PromptTopP = 1.0;

    /// <summary>PyTorch's LayerNorm epsilon.</summary>
    public const double LayerNormEps = 1e-5;

    /// <summary>A common RMSNorm epsilon.</summary>
    public const double RmsNormEps = 1e-6;
}
