using ModelDsl;
using ModelDsl.Tests.Families;

namespace ModelDsl.Tests.Peft;

// Setups over every family, completed by the real generator (LoRA with PEFT's default targets per family).

[FineTune<GeneratedTinyLlama3>, LoRA(4, Alpha = 8)]
public partial class TinyLlama3Lora;

[FineTune<GeneratedTinyMistral>, LoRA(4, Alpha = 8)]
public partial class TinyMistralLora;

[FineTune<GeneratedTinyQwen2>, LoRA(4, Alpha = 8)]
public partial class TinyQwen2Lora;

[FineTune<GeneratedTinyQwen3>, LoRA(4, Alpha = 8)]
public partial class TinyQwen3Lora;

[FineTune<GeneratedTinyPhi3>, LoRA(4, Alpha = 8)]
public partial class TinyPhi3Lora;

[FineTune<GeneratedTinyGemma>, LoRA(4, Alpha = 8)]
public partial class TinyGemmaLora;

[FineTune<GeneratedTinyGemma>, SoftPrompt(3)]
public partial class TinyGemmaPrompt;

[FineTune<GeneratedTinyPhi3>, Adapter(Bottleneck = 4)]
public partial class TinyPhi3Adapters;

[FineTune<GeneratedTinyQwen2>, BitFit]
public partial class TinyQwen2BitFit;

[FineTune<GeneratedTinyQwen3>, Selective(Train = ["q_norm", "k_norm"])]
public partial class TinyQwen3Norms;
