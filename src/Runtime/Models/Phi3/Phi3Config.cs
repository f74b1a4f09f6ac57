using ModelDsl.Families;
using ModelDsl.Layers;

namespace ModelDsl.Models;

/// <summary>
/// Sizes of a Phi-3 model, as Hugging Face's <c>Phi3Config</c> names them in <c>config.json</c> (see
/// <see cref="DecoderConfig"/>). Phi-3 fuses the query/key/value projections into <c>qkv_proj</c> and the gate and up
/// projections into <c>gate_up_proj</c>, and has a <c>sliding_window</c> over every layer (2047 in Phi-3-mini-4k).
/// </summary>
/// <param name="Layers">Decoder layers (<c>num_hidden_layers</c>).</param>
/// <param name="Dim">Model width (<c>hidden_size</c>).</param>
/// <param name="Heads">Query heads (<c>num_attention_heads</c>).</param>
/// <param name="KvHeads">Key/value heads (<c>num_key_value_heads</c>).</param>
/// <param name="Ffn">Hidden width of the gated MLP (<c>intermediate_size</c>).</param>
/// <param name="Vocab">Vocabulary size (<c>vocab_size</c>).</param>
/// <param name="Context">Context window (<c>max_position_embeddings</c>).</param>
/// <param name="RopeTheta">Base of the rotary frequencies (<c>rope_theta</c>).</param>
/// <param name="TieEmbeddings">Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>; false in Phi-3).</param>
/// <param name="NormEps">RMS-norm stability term (<c>rms_norm_eps</c>).</param>
/// <param name="HeadDim">Width of one head (<c>head_dim</c>), or 0 for <paramref name="Dim"/> / <paramref name="Heads"/>.</param>
/// <param name="RopeScaling">Rotary scaling (<c>rope_scaling</c>), or <see langword="null"/>.</param>
/// <param name="SlidingWindow">Keys each query sees in every layer (<c>sliding_window</c>), or 0 for full attention.</param>
public sealed record Phi3Config(int Layers, int Dim, int Heads, int KvHeads, int Ffn, int Vocab, int Context,
    double RopeTheta = 10000, bool TieEmbeddings = false, double NormEps = 1e-5, int HeadDim = 0, RotaryScaling? RopeScaling = null,
    int SlidingWindow = 0)
    : DecoderConfig(Layers, Dim, Heads, KvHeads, Ffn, Vocab, Context, RopeTheta, TieEmbeddings, NormEps, HeadDim, RopeScaling)
{
    internal override FamilyKind Family => FamilyKind.Phi3;

    internal override (int Window, int FirstLayer) Sliding => (SlidingWindow, 0);
}
