using ModelDsl.Families;
using ModelDsl.Layers;

namespace ModelDsl.Models;

/// <summary>
/// What every rotary decoder family's configuration holds, named as Hugging Face's config classes name it in
/// <c>config.json</c>: <c>num_hidden_layers</c>, <c>hidden_size</c>, <c>num_attention_heads</c>,
/// <c>num_key_value_heads</c>, <c>intermediate_size</c>, <c>vocab_size</c>, <c>max_position_embeddings</c>,
/// <c>rope_theta</c>, <c>tie_word_embeddings</c>, <c>rms_norm_eps</c>, <c>head_dim</c>, <c>rope_scaling</c>.
/// A family's record adds what only it has (a sliding window, an activation).
/// </summary>
/// <param name="Layers">Decoder layers (<c>num_hidden_layers</c>).</param>
/// <param name="Dim">Model width (<c>hidden_size</c>).</param>
/// <param name="Heads">Query heads (<c>num_attention_heads</c>); must divide <paramref name="Dim"/> unless <paramref name="HeadDim"/> is given.</param>
/// <param name="KvHeads">Key/value heads (<c>num_key_value_heads</c>); must divide <paramref name="Heads"/> (grouped-query attention when smaller).</param>
/// <param name="Ffn">Hidden width of the gated MLP (<c>intermediate_size</c>).</param>
/// <param name="Vocab">Vocabulary size (<c>vocab_size</c>).</param>
/// <param name="Context">Context window (<c>max_position_embeddings</c>).</param>
/// <param name="RopeTheta">Base of the rotary frequencies (<c>rope_theta</c>).</param>
/// <param name="TieEmbeddings">Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>).</param>
/// <param name="NormEps">RMS-norm stability term (<c>rms_norm_eps</c>).</param>
/// <param name="HeadDim">Width of one head (<c>head_dim</c>), or 0 for <paramref name="Dim"/> / <paramref name="Heads"/>.</param>
/// <param name="RopeScaling">Rotary scaling for a longer context (<c>rope_scaling</c>), or <see langword="null"/>.</param>
public abstract record DecoderConfig(int Layers, int Dim, int Heads, int KvHeads, int Ffn, int Vocab, int Context,
    double RopeTheta, bool TieEmbeddings, double NormEps, int HeadDim, RotaryScaling? RopeScaling) : ModelConfig
{
    /// <summary>The width of one head: <see cref="HeadDim"/> when given, else <see cref="Dim"/> / <see cref="Heads"/>.</summary>
    public int HeadWidth => HeadDim != 0 ? HeadDim : Heads > 0 ? Dim / Heads : 0;

    internal abstract FamilyKind Family { get; }

    /// <summary>Keys a sliding-window layer sees, and the first layer that uses the window.</summary>
    internal virtual (int Window, int FirstLayer) Sliding => (0, 0);

    internal virtual FamilyActivation Activation => FamilyActivation.Silu;

    internal override FamilyShape ToShape() => new(Family, Layers, Dim, Heads, KvHeads, HeadDim, Ffn, Vocab, Context, NormEps, RopeTheta,
        TieEmbeddings, RopeScaling is { } scaling
            ? new RopeScalingShape(scaling.Type == RotaryScalingType.Linear ? RopeKind.Linear : RopeKind.Llama3,
                scaling.Factor, scaling.LowFreqFactor, scaling.HighFreqFactor, scaling.OriginalContext)
            : null,
        Sliding.Window, Sliding.FirstLayer, Activation);
}
