using System;
using ModelDsl.Families;

namespace ModelDsl;

/// <summary>
/// Declares a Qwen3 causal language model: Llama's layers with a per-head RMSNorm on queries and keys (<c>q_norm</c>, <c>k_norm</c>, over head_dim) before the rotation, an explicit head width, and an optional sliding window. Declared on a <c>partial</c> class, it generates a model that loads and saves Hugging Face's
/// <c>Qwen3ForCausalLM</c> checkpoints (<c>model_type</c> "qwen3") key for key. Defaults are Qwen3-0.6B (596,049,920 parameters; head_dim 128).
/// PEFT's default LoRA targets: <c>q_proj</c>, <c>v_proj</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class Qwen3Attribute : Attribute
{
    /// <summary>Number of decoder layers (<c>num_hidden_layers</c>).</summary>
    public int Layers { get; set; } = FamilyDefaults.Qwen3.Layers;

    /// <summary>Model width (<c>hidden_size</c>).</summary>
    public int Dim { get; set; } = FamilyDefaults.Qwen3.Dim;

    /// <summary>Query heads (<c>num_attention_heads</c>); must divide <see cref="Dim"/> unless <see cref="HeadDim"/> is given.</summary>
    public int Heads { get; set; } = FamilyDefaults.Qwen3.Heads;

    /// <summary>Key/value heads (<c>num_key_value_heads</c>); must divide <see cref="Heads"/>. 0 means equal to <see cref="Heads"/>.</summary>
    public int KvHeads { get; set; } = FamilyDefaults.Qwen3.KvHeads;

    /// <summary>Width of one head (<c>head_dim</c>; Qwen3 sets it explicitly, 128 by default); 0 means <see cref="Dim"/> / <see cref="Heads"/>. Must be even.</summary>
    public int HeadDim { get; set; } = FamilyDefaults.Qwen3.HeadDim;

    /// <summary>Feed-forward width (<c>intermediate_size</c>).</summary>
    public int Ffn { get; set; } = FamilyDefaults.Qwen3.Ffn;

    /// <summary>Vocabulary size (<c>vocab_size</c>).</summary>
    public int Vocab { get; set; } = FamilyDefaults.Qwen3.Vocab;

    /// <summary>Context window in tokens (<c>max_position_embeddings</c>).</summary>
    public int Context { get; set; } = FamilyDefaults.Qwen3.Context;

    /// <summary>Rotary base θ (<c>rope_theta</c>).</summary>
    public double RopeTheta { get; set; } = FamilyDefaults.Qwen3.RopeTheta;

    /// <summary>Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>).</summary>
    public bool TieEmbeddings { get; set; } = FamilyDefaults.Qwen3.TieEmbeddings;

    /// <summary>RMSNorm epsilon (<c>rms_norm_eps</c>).</summary>
    public double NormEps { get; set; } = FamilyDefaults.Qwen3.NormEps;

    /// <summary>
    /// Keys each query of a sliding-window layer attends, itself included (<c>sliding_window</c> with
    /// <c>use_sliding_window</c>); 0 for full attention in every layer.
    /// </summary>
    public int SlidingWindow { get; set; } = FamilyDefaults.Qwen3.SlidingWindow;

    /// <summary>The first layer that uses the sliding window (<c>max_window_layers</c>); the layers before it attend fully.</summary>
    public int MaxWindowLayers { get; set; } = FamilyDefaults.Qwen3.MaxWindowLayers;
}
