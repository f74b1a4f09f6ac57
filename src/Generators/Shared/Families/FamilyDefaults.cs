namespace ModelDsl.Families;

/// <summary>
/// The defaults of the family attributes: each family's published reference model. Constants, written once and
/// compiled into the attributes (property initialisers), the generator (arguments left out) and the runtime.
/// </summary>
internal static class FamilyDefaults
{
    /// <summary>GPT-2 small (124,439,808 parameters).</summary>
    public static class Gpt2
    {
        public const int Layers = 12, Dim = 768, Heads = 12, Vocab = 50257, Context = 1024;
        public const double NormEps = 1e-5;
    }

    /// <summary>
    /// Llama-2-7B (6,738,415,616 parameters); the rotary-scaling arguments default to Llama 3.1's values, used only
    /// when a scaling is chosen.
    /// </summary>
    public static class Llama
    {
        public const int Layers = 32, Dim = 4096, Heads = 32, KvHeads = 0, Ffn = 11008, Vocab = 32000, Context = 4096, HeadDim = 0;
        public const double RopeTheta = 10000, NormEps = 1e-5;
        public const bool TieEmbeddings = false;
        public const double RopeFactor = 8, LowFreqFactor = 1, HighFreqFactor = 4;
        public const int OriginalContext = 8192;
    }

    /// <summary>Mistral-7B-v0.1 (7,241,732,096 parameters).</summary>
    public static class Mistral
    {
        public const int Layers = 32, Dim = 4096, Heads = 32, KvHeads = 8, Ffn = 14336, Vocab = 32000, Context = 32768, HeadDim = 0, SlidingWindow = 4096;
        public const double RopeTheta = 10000, NormEps = 1e-5;
        public const bool TieEmbeddings = false;
    }

    /// <summary>Qwen2.5-0.5B (494,032,768 parameters).</summary>
    public static class Qwen2
    {
        public const int Layers = 24, Dim = 896, Heads = 14, KvHeads = 2, Ffn = 4864, Vocab = 151936, Context = 32768, HeadDim = 0;
        public const int SlidingWindow = 0, MaxWindowLayers = 0;
        public const double RopeTheta = 1000000, NormEps = 1e-6;
        public const bool TieEmbeddings = true;
    }

    /// <summary>Qwen3-0.6B (596,049,920 parameters).</summary>
    public static class Qwen3
    {
        public const int Layers = 28, Dim = 1024, Heads = 16, KvHeads = 8, Ffn = 3072, Vocab = 151936, Context = 40960, HeadDim = 128;
        public const int SlidingWindow = 0, MaxWindowLayers = 0;
        public const double RopeTheta = 1000000, NormEps = 1e-6;
        public const bool TieEmbeddings = true;
    }

    /// <summary>Phi-3-mini-4k (3,821,079,552 parameters).</summary>
    public static class Phi3
    {
        public const int Layers = 32, Dim = 3072, Heads = 32, KvHeads = 32, Ffn = 8192, Vocab = 32064, Context = 4096, HeadDim = 0, SlidingWindow = 2047;
        public const double RopeTheta = 10000, NormEps = 1e-5;
        public const bool TieEmbeddings = false;
    }

    /// <summary>Gemma-2B (2,506,172,416 parameters).</summary>
    public static class Gemma
    {
        public const int Layers = 18, Dim = 2048, Heads = 8, KvHeads = 1, Ffn = 16384, Vocab = 256000, Context = 8192, HeadDim = 256;
        public const double RopeTheta = 10000, NormEps = 1e-6;
        public const bool TieEmbeddings = true;
    }
}
