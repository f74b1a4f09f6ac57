using ModelDsl.Families;

namespace ModelDsl.Models;

/// <summary>
/// Sizes of a GPT-2 model, as Hugging Face's <c>GPT2Config</c> names them in <c>config.json</c>:
/// <c>n_layer</c>, <c>n_embd</c>, <c>n_head</c>, <c>vocab_size</c>, <c>n_positions</c> (alias <c>n_ctx</c>),
/// <c>layer_norm_epsilon</c>. The MLP is 4·Dim wide with GELU (tanh approximation); the head is tied to <c>wte</c>.
/// </summary>
/// <param name="Layers">Transformer blocks (<c>n_layer</c>).</param>
/// <param name="Dim">Model width (<c>n_embd</c>).</param>
/// <param name="Heads">Attention heads (<c>n_head</c>); must divide <paramref name="Dim"/>.</param>
/// <param name="Vocab">Vocabulary size (<c>vocab_size</c>).</param>
/// <param name="Context">Context window, the number of learned positions (<c>n_positions</c>).</param>
/// <param name="NormEps">Layer-norm stability term (<c>layer_norm_epsilon</c>).</param>
public sealed record Gpt2Config(int Layers, int Dim, int Heads, int Vocab, int Context, double NormEps = 1e-5) : ModelConfig
{
    /// <summary>Width of one attention head.</summary>
    public int HeadDim => Dim / Heads;

    internal override FamilyShape ToShape() => FamilyShape.Gpt2(Layers, Dim, Heads, Vocab, Context, NormEps);
}
