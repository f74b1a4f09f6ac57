using ModelDsl.Families;
using ModelDsl.Layers;

namespace ModelDsl.Models;

/// <summary>
/// Sizes of a (first) Gemma model, as Hugging Face's <c>GemmaConfig</c> names them in <c>config.json</c> (see
/// <see cref="DecoderConfig"/>). Gemma's RMSNorm scales by <c>1 + weight</c>, its embeddings are multiplied by
/// √hidden_size (rounded to the model's dtype first), its gated MLP uses GELU, and it usually sets <c>head_dim</c>.
/// </summary>
/// <param name="Layers">Decoder layers (<c>num_hidden_layers</c>).</param>
/// <param name="Dim">Model width (<c>hidden_size</c>).</param>
/// <param name="Heads">Query heads (<c>num_attention_heads</c>).</param>
/// <param name="KvHeads">Key/value heads (<c>num_key_value_heads</c>).</param>
/// <param name="Ffn">Hidden width of the gated MLP (<c>intermediate_size</c>).</param>
/// <param name="Vocab">Vocabulary size (<c>vocab_size</c>).</param>
/// <param name="Context">Context window (<c>max_position_embeddings</c>).</param>
/// <param name="RopeTheta">Base of the rotary frequencies (<c>rope_theta</c>).</param>
/// <param name="TieEmbeddings">Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>; true in Gemma).</param>
/// <param name="NormEps">RMS-norm stability term (<c>rms_norm_eps</c>).</param>
/// <param name="HeadDim">Width of one head (<c>head_dim</c>), or 0 for <paramref name="Dim"/> / <paramref name="Heads"/>.</param>
/// <param name="RopeScaling">Rotary scaling (<c>rope_scaling</c>), or <see langword="null"/>.</param>
/// <param name="HiddenAct">The MLP's GELU (<c>hidden_act</c>): <see cref="ModelDsl.Activation.GeluTanh"/> ("gelu_pytorch_tanh") or <see cref="ModelDsl.Activation.Gelu"/> ("gelu").</param>
public sealed record GemmaConfig(int Layers, int Dim, int Heads, int KvHeads, int Ffn, int Vocab, int Context,
    double RopeTheta = 10000, bool TieEmbeddings = true, double NormEps = 1e-6, int HeadDim = 0, RotaryScaling? RopeScaling = null,
    Activation HiddenAct = Activation.GeluTanh)
    : DecoderConfig(Layers, Dim, Heads, KvHeads, Ffn, Vocab, Context, RopeTheta, TieEmbeddings, NormEps, HeadDim, RopeScaling)
{
    internal override FamilyKind Family => FamilyKind.Gemma;

    internal override FamilyActivation Activation => HiddenAct switch
    {
        ModelDsl.Activation.Gelu => FamilyActivation.Gelu,
        ModelDsl.Activation.Relu => FamilyActivation.Relu,
        ModelDsl.Activation.Silu => FamilyActivation.Silu,
        _ => FamilyActivation.GeluTanh,
    };
}
