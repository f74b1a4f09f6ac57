using ModelDsl.Models;

namespace ModelDsl.Benchmarks;

/// <summary>The model shapes the suite measures (the Python peer builds the same ones).</summary>
internal static class BenchShapes
{
    /// <summary>Sequence length of a training example.</summary>
    public const int Sequence = 256;

    /// <summary>Sequences per training batch.</summary>
    public const int Batch = 8;

    /// <summary>Virtual tokens of the prompt-tuning setup.</summary>
    public const int PromptTokens = 20;

    /// <summary>LoRA rank (alpha 16, no dropout) on <c>c_attn</c> and <c>attn.c_proj</c>.</summary>
    public const int LoraRank = 8;

    /// <summary>
    /// GPT-2 6 layers × 384, 6 heads, vocab 8192; 512 learned positions so the 20 virtual tokens of prompt tuning
    /// fit in front of 256 real ones.
    /// </summary>
    public static readonly Gpt2Config Small = new(Layers: 6, Dim: 384, Heads: 6, Vocab: 8192, Context: 512);

    /// <summary>GPT-2 small (124M parameters), for peak memory.</summary>
    public static readonly Gpt2Config Gpt2Small = new(Layers: 12, Dim: 768, Heads: 12, Vocab: 50257, Context: 1024);
}
