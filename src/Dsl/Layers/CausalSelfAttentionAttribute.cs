namespace ModelDsl;

/// <summary>
/// Multi-head causal self-attention with a fused query/key/value projection <c>c_attn</c>
/// (<c>[(heads + 2·kvHeads)·headDim, dim]</c>, output laid out <c>[Q | K | V]</c>) and an output projection
/// <c>c_proj</c> (<c>[dim, dim]</c>). Attention runs through <c>scaled_dot_product_attention</c> with the
/// causal flag. The property type is <c>ModelDsl.Layers.CausalSelfAttention</c>.
/// </summary>
public sealed class CausalSelfAttentionAttribute : LayerAttribute
{
    /// <summary>Declares a causal self-attention layer.</summary>
    /// <param name="dim">Model width; must be divisible by <paramref name="heads"/>.</param>
    /// <param name="heads">Number of query heads.</param>
    public CausalSelfAttentionAttribute(int dim, int heads)
    {
        Dim = dim;
        Heads = heads;
        KvHeads = heads;
    }

    /// <summary>Model width.</summary>
    public int Dim { get; }

    /// <summary>Number of query heads.</summary>
    public int Heads { get; }

    /// <summary>Number of key/value heads (grouped-query attention when fewer than <see cref="Heads"/>; must divide it). Defaults to <see cref="Heads"/>.</summary>
    public int KvHeads { get; set; }

    /// <summary>Whether the projections have biases (default <see langword="true"/>, as GPT-2).</summary>
    public bool Bias { get; set; } = true;
}
