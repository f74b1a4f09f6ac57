using System;
using ModelDsl.Families;

namespace ModelDsl;

/// <summary>
/// Declares a (first) Gemma causal language model: RMSNorm scaled by <c>1 + weight</c> (computed in fp32), token embeddings multiplied by √Dim in the model's dtype, a GELU-gated MLP (tanh approximation, <c>gelu_pytorch_tanh</c>), an explicit head width and a tied head. Declared on a <c>partial</c> class, it generates a model that loads and saves Hugging Face's
/// <c>GemmaForCausalLM</c> checkpoints (<c>model_type</c> "gemma") key for key. Defaults are Gemma-2B (2,506,172,416 parameters; head_dim 256).
/// PEFT's default LoRA targets: <c>q_proj</c>, <c>v_proj</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class GemmaAttribute : Attribute
{
    /// <summary>Number of decoder layers (<c>num_hidden_layers</c>).</summary>
    public int Layers { get; set; } = FamilyDefaults.Gemma.Layers;

    /// <summary>Model width (<c>hidden_size</c>).</summary>
    public int Dim { get; set; } = FamilyDefaults.Gemma.Dim;

    /// <summary>Query heads (<c>num_attention_heads</c>); must divide <see cref="Dim"/> unless <see cref="HeadDim"/> is given.</summary>
    public int Heads { get; set; } = FamilyDefaults.Gemma.Heads;

    /// <summary>Key/value heads (<c>num_key_value_heads</c>); must divide <see cref="Heads"/>. 0 means equal to <see cref="Heads"/>.</summary>
    public int KvHeads { get; set; } = FamilyDefaults.Gemma.KvHeads;

    /// <summary>Width of one head (<c>head_dim</c>; Gemma sets it explicitly, 256 in Gemma-2B); 0 means <see cref="Dim"/> / <see cref="Heads"/>. Must be even.</summary>
    public int HeadDim { get; set; } = FamilyDefaults.Gemma.HeadDim;

    /// <summary>Feed-forward width (<c>intermediate_size</c>).</summary>
    public int Ffn { get; set; } = FamilyDefaults.Gemma.Ffn;

    /// <summary>Vocabulary size (<c>vocab_size</c>).</summary>
    public int Vocab { get; set; } = FamilyDefaults.Gemma.Vocab;

    /// <summary>Context window in tokens (<c>max_position_embeddings</c>).</summary>
    public int Context { get; set; } = FamilyDefaults.Gemma.Context;

    /// <summary>Rotary base θ (<c>rope_theta</c>).</summary>
    public double RopeTheta { get; set; } = FamilyDefaults.Gemma.RopeTheta;

    /// <summary>Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>).</summary>
    public bool TieEmbeddings { get; set; } = FamilyDefaults.Gemma.TieEmbeddings;

    /// <summary>RMSNorm epsilon (<c>rms_norm_eps</c>).</summary>
    public double NormEps { get; set; } = FamilyDefaults.Gemma.NormEps;
}
