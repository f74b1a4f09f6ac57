using ModelDsl;
using ModelDsl.Tests.Families;

namespace ModelDsl.Tests.Quantization;

// Setups over a quantized frozen base, completed by the real generator, and their unquantized twins.
// The tiny models are 32 wide, so the 4-bit setups use blocks of 32 (64 would not divide the 32-wide layers: MDSL178).

[FineTune<GeneratedTinyLlama>]
[LoRA(4, Targets = ["q_proj", "v_proj", "down_proj"])]
[Quantize(Bits = 4, BlockSize = 32)]
public partial class TinyLlamaQLora;

[FineTune<GeneratedTinyLlama>]
[LoRA(4, Targets = ["q_proj", "v_proj", "down_proj"])]
[Quantize(Bits = 8)]
public partial class TinyLlamaInt8Lora;

[FineTune<GeneratedTinyLlama>]
[LoRA(4, Targets = ["q_proj", "v_proj", "down_proj"])]
public partial class TinyLlamaPlainLora;

[FineTune<GeneratedTinyGpt2>]
[LoRA(4, Targets = ["c_attn", "mlp.c_proj"])]
[Quantize(BlockSize = 32, DoubleQuantization = false)]
public partial class TinyGpt2QLora;

[FineTune<GeneratedTinyGpt2>]
[LoRA(4, Targets = ["c_attn", "mlp.c_proj"])]
public partial class TinyGpt2PlainLora;

[FineTune<GeneratedTinyGpt2>]
[Adapter(Bottleneck = 4)]
[Quantize(BlockSize = 32)]
public partial class TinyGpt2QuantizedAdapters;

[FineTune<GeneratedTinyGpt2>]
[BitFit]
[Quantize(BlockSize = 32)]
public partial class TinyGpt2QuantizedBitFit;

[FineTune<GeneratedTinyGpt2>]
[BitFit]
public partial class TinyGpt2PlainBitFit;

[FineTune<GeneratedTinyGpt2>]
[SoftPrompt(4)]
[Quantize(Bits = 8)]
public partial class TinyGpt2QuantizedPrompt;

[FineTune<ModelDsl.Tests.Foundation.TinyDeclaredGpt>]
[LoRA(4, Targets = ["attn.c_attn"])]
[Quantize(BlockSize = 32)]
public partial class CustomModelQLora;
