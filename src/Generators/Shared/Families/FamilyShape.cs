namespace ModelDsl.Families;

/// <summary>
/// Everything that decides a family model's parameters and math, as plain values: what a <c>[Llama(…)]</c>
/// declaration, a <c>LlamaConfig</c> and a <c>config.json</c> all describe. The generator validates, counts and lays
/// out a declaration from it; the runtime validates a config and builds its modules from it, so the two cannot
/// disagree.
/// </summary>
/// <param name="Family">The family; its <see cref="FamilyTraits"/> say how its math differs from Llama's.</param>
/// <param name="Layers">Decoder blocks (<c>num_hidden_layers</c>, GPT-2 <c>n_layer</c>).</param>
/// <param name="Dim">Model width (<c>hidden_size</c>, GPT-2 <c>n_embd</c>).</param>
/// <param name="Heads">Query heads (<c>num_attention_heads</c>, GPT-2 <c>n_head</c>).</param>
/// <param name="KvHeads">Key/value heads (<c>num_key_value_heads</c>); GPT-2: equal to <paramref name="Heads"/>.</param>
/// <param name="HeadDim">Width of one head (<c>head_dim</c>), or 0 for <paramref name="Dim"/> / <paramref name="Heads"/>.</param>
/// <param name="Ffn">MLP width (<c>intermediate_size</c>); GPT-2: 4 × <paramref name="Dim"/>.</param>
/// <param name="Vocab">Vocabulary size (<c>vocab_size</c>).</param>
/// <param name="Context">Context window (<c>max_position_embeddings</c>, GPT-2 <c>n_positions</c>).</param>
/// <param name="NormEps">Normalisation epsilon (<c>rms_norm_eps</c>, GPT-2 <c>layer_norm_epsilon</c>).</param>
/// <param name="RopeTheta">Rotary base (<c>rope_theta</c>); unused by GPT-2.</param>
/// <param name="TieEmbeddings">The head shares the token embedding (<c>tie_word_embeddings</c>); always for GPT-2.</param>
/// <param name="RopeScaling">Rotary scaling (<c>rope_scaling</c>), or <see langword="null"/>.</param>
/// <param name="SlidingWindow">Keys a query sees, itself included (<c>sliding_window</c>), or 0 for full attention.</param>
/// <param name="FirstSlidingLayer">The first layer that uses the window (Qwen's <c>max_window_layers</c>); 0 for all.</param>
/// <param name="Activation">The MLP's activation (<c>hidden_act</c>).</param>
internal sealed record FamilyShape(
    FamilyKind Family,
    int Layers,
    int Dim,
    int Heads,
    int KvHeads,
    int HeadDim,
    int Ffn,
    int Vocab,
    int Context,
    double NormEps,
    double RopeTheta,
    bool TieEmbeddings,
    RopeScalingShape? RopeScaling,
    int SlidingWindow,
    int FirstSlidingLayer,
    FamilyActivation Activation)
{
    /// <summary>How this family differs from Llama.</summary>
    public FamilyTraits Traits => FamilyTraits.Of(Family);

    /// <summary>The width of one head: <see cref="HeadDim"/> when given, else <see cref="Dim"/> / <see cref="Heads"/> (0 if undefined).</summary>
    public int HeadWidth => HeadDim != 0 ? HeadDim : Heads > 0 ? Dim / Heads : 0;

    /// <summary>Whether layer <paramref name="layer"/> attends through the sliding window.</summary>
    public bool UsesSlidingWindow(int layer) => SlidingWindow > 0 && Traits.Sliding switch
    {
        SlidingWindowMode.AllLayers => true,
        SlidingWindowMode.FromLayer => layer >= FirstSlidingLayer,
        _ => false,
    };

    /// <summary>A GPT-2 shape (MLP 4 × width, tied head, GELU with tanh).</summary>
    public static FamilyShape Gpt2(int layers, int dim, int heads, int vocab, int context, double normEps) =>
        new(FamilyKind.Gpt2, layers, dim, heads, heads, 0, unchecked(4 * dim), vocab, context, normEps, 10000, true, null, 0, 0, FamilyActivation.GeluTanh);

    /// <summary>The activation a family uses unless its config says otherwise.</summary>
    public static FamilyActivation DefaultActivation(FamilyKind family) => family switch
    {
        FamilyKind.Gpt2 or FamilyKind.Gemma => FamilyActivation.GeluTanh,
        _ => FamilyActivation.Silu,
    };
}
