namespace ModelDsl.Generators.Specs;

/// <summary>A <c>[Gpt2]</c> declaration, with the attribute's defaults filled in.</summary>
internal sealed record Gpt2Spec(TypeLocation Type, bool DeclaresConstructor, int Layers, int Dim, int Heads, int Vocab, int Context, double NormEps)
{
    /// <summary>The attribute's defaults: GPT-2 small.</summary>
    public static readonly (int Layers, int Dim, int Heads, int Vocab, int Context, double NormEps) Defaults = (12, 768, 12, 50257, 1024, 1e-5);

    /// <summary>Parameters of <c>GPT2LMHeadModel</c> with the head tied to <c>wte</c>.</summary>
    public long ParameterCount
    {
        get
        {
            long d = Dim;
            long perBlock = 12 * d * d + 13 * d;               // ln_1, c_attn, c_proj, ln_2, c_fc, c_proj
            return (long)Vocab * d + (long)Context * d + Layers * perBlock + 2 * d;
        }
    }
}

/// <summary>A <c>[Llama]</c> declaration, with the attribute's defaults filled in (KvHeads 0 → Heads).</summary>
internal sealed record LlamaSpec(
    TypeLocation Type, bool DeclaresConstructor, int Layers, int Dim, int Heads, int KvHeads, int Ffn, int Vocab, int Context,
    double RopeTheta, bool TieEmbeddings, double NormEps)
{
    /// <summary>The attribute's defaults: Llama-2-7B.</summary>
    public static readonly (int Layers, int Dim, int Heads, int KvHeads, int Ffn, int Vocab, int Context, double RopeTheta, bool TieEmbeddings, double NormEps)
        Defaults = (32, 4096, 32, 0, 11008, 32000, 4096, 10000, false, 1e-5);

    /// <summary>Parameters of <c>LlamaForCausalLM</c> (no biases; the head counted unless tied).</summary>
    public long ParameterCount
    {
        get
        {
            if (Heads < 1 || KvHeads < 1) return 0;
            long d = Dim, headDim = Dim / Heads, kv = KvHeads * headDim;
            long attention = d * d + 2 * d * kv + d * d;        // q, k, v, o
            long mlp = 3 * d * Ffn;                             // gate, up, down
            long perLayer = attention + mlp + 2 * d;            // + two RMSNorms
            long embeddings = (long)Vocab * d;
            return embeddings + Layers * perLayer + d + (TieEmbeddings ? 0 : embeddings);
        }
    }
}
