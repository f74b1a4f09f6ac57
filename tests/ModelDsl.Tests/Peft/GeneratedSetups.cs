using ModelDsl;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.Foundation;
using ModelDsl.Peft;

namespace ModelDsl.Tests.Peft;

// Setups completed by the real generator.

[FineTune<GeneratedGpt2Small>]
[LoRA(8, Targets = ["c_attn"])]
public partial class Gpt2SmallLora;

[FineTune<GeneratedGpt2Small>]
[SoftPrompt(20)]
public partial class Gpt2SmallPrompt;

[FineTune<GeneratedTinyGpt2>]
[LoRA(4, Alpha = 8, Targets = ["c_attn", "mlp.c_proj"])]
public partial class TinyGpt2Lora;

[FineTune<GeneratedTinyGpt2>]
[SoftPrompt(6, Init = PromptInit.SampleVocab)]
public partial class TinyGpt2Prompt;

[Gpt2(Layers = 1, Dim = 16, Heads = 2, Vocab = 50257, Context = 32)]
public partial class Gpt2VocabModel;

[FineTune<Gpt2VocabModel>]
[SoftPrompt(5, InitText = "Sentiment:")]
public partial class Gpt2TextPrompt;

[FineTune<GeneratedTinyLlama>]
[Adapter(Bottleneck = 4, Placement = AdapterPlacement.Pfeiffer)]
public partial class TinyLlamaAdapters;

[FineTune<GeneratedTinyLlama>]
[BitFit]
public partial class TinyLlamaBitFit;

[FineTune<GeneratedTinyGpt2>]
[Selective(Train = ["ln_f", "h.1.*"])]
public partial class TinyGpt2LastBlock;

[FineTune<TinyDeclaredGpt>]
[LoRA(4, Targets = ["attn.c_attn"])]
public partial class CustomModelLora;

[FineTune<GeneratedTinyGpt2>]
[FullFineTune]
public partial class TinyGpt2Full;
