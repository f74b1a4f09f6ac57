namespace ModelDsl;

/// <summary>
/// A fully connected layer <c>y = x Wᵀ + b</c> with weight <c>[outFeatures, inFeatures]</c>, the layout of
/// <c>torch.nn.Linear</c>. The property type is <c>ModelDsl.Layers.Linear</c>.
/// </summary>
public sealed class LinearAttribute : LayerAttribute
{
    /// <summary>Declares a linear layer.</summary>
    /// <param name="inFeatures">Size of each input sample (≥ 1).</param>
    /// <param name="outFeatures">Size of each output sample (≥ 1).</param>
    public LinearAttribute(int inFeatures, int outFeatures)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    /// <summary>Size of each input sample.</summary>
    public int InFeatures { get; }

    /// <summary>Size of each output sample.</summary>
    public int OutFeatures { get; }

    /// <summary>Whether the layer has an additive bias (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>
    /// The member name (use <c>nameof</c>) of an <see cref="EmbeddingAttribute"/> layer whose weight this
    /// layer shares, as GPT-2's <c>lm_head</c> shares <c>wte</c>. The shapes must agree
    /// (<c>[count, dim]</c> = <c>[outFeatures, inFeatures]</c>); the shared weight is counted once and the
    /// tied layer has no bias.
    /// </summary>
    public string? TiedTo { get; set; }
}
