using ModelDsl;

namespace ModelDsl.Tests.Families;

// Family declarations completed by the real generator.

[Gpt2]
public partial class GeneratedGpt2Small;

[Llama(Layers = 32, Dim = 4096, Heads = 32, KvHeads = 32, Ffn = 11008, Vocab = 32000, Context = 4096)]
public partial class GeneratedLlama2_7B;

[Gpt2(Layers = 2, Dim = 32, Heads = 4, Vocab = 97, Context = 24)]
public partial class GeneratedTinyGpt2;

[Llama(Layers = 2, Dim = 32, Heads = 4, KvHeads = 2, Ffn = 64, Vocab = 97, Context = 24, RopeTheta = 500000)]
public partial class GeneratedTinyLlama;

// Published models, declared with their sizes or read from their config.json by [FromConfig].

[Llama(Layers = 16, Dim = 2048, Heads = 32, KvHeads = 8, Ffn = 8192, Vocab = 128256, Context = 131072, RopeTheta = 500000,
    TieEmbeddings = true, RopeScaling = RopeScaling.Llama3, RopeFactor = 32)]
public partial class GeneratedLlama32_1B;

[FromConfig("Configs/llama-3.2-1b/config.json")]
public partial class ConfiguredLlama32_1B;

[Qwen2]
public partial class GeneratedQwen25_05B;

[FromConfig("Configs/qwen2.5-0.5b/config.json")]
public partial class ConfiguredQwen25_05B;

[Mistral]
public partial class GeneratedMistral7B;

[Qwen3]
public partial class GeneratedQwen3_06B;

[Phi3]
public partial class GeneratedPhi3Mini4k;

[Gemma]
public partial class GeneratedGemma2B;

// Tiny ones of every family, for PEFT and round trips.

[Mistral(Layers = 2, Dim = 32, Heads = 4, KvHeads = 2, Ffn = 48, Vocab = 61, Context = 32, SlidingWindow = 6)]
public partial class GeneratedTinyMistral;

[Qwen2(Layers = 2, Dim = 32, Heads = 4, KvHeads = 2, Ffn = 48, Vocab = 61, Context = 32, SlidingWindow = 6, MaxWindowLayers = 1)]
public partial class GeneratedTinyQwen2;

[Qwen3(Layers = 2, Dim = 32, Heads = 4, KvHeads = 2, HeadDim = 16, Ffn = 48, Vocab = 61, Context = 32)]
public partial class GeneratedTinyQwen3;

[Phi3(Layers = 2, Dim = 32, Heads = 4, KvHeads = 4, Ffn = 48, Vocab = 61, Context = 32, SlidingWindow = 8)]
public partial class GeneratedTinyPhi3;

[Gemma(Layers = 2, Dim = 32, Heads = 4, KvHeads = 1, HeadDim = 16, Ffn = 48, Vocab = 61, Context = 32)]
public partial class GeneratedTinyGemma;

[Llama(Layers = 2, Dim = 32, Heads = 4, KvHeads = 2, Ffn = 48, Vocab = 61, Context = 64, RopeTheta = 500000, TieEmbeddings = true,
    RopeScaling = RopeScaling.Llama3, RopeFactor = 8, OriginalContext = 16)]
public partial class GeneratedTinyLlama3;
