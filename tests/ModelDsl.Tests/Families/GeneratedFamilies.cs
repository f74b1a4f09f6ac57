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
