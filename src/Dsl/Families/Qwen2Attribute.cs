using System;
using ModelDsl.Families;

namespace ModelDsl;

/// <summary>
/// Declares a Qwen2 / Qwen2.5 causal language model: Llama's layers with a bias on <c>q_proj</c>, <c>k_proj</c> and <c>v_proj</c>, and an optional sliding window from layer <c>max_window_layers</c> on. Declared on a <c>partial</c> class, it generates a model that loads and saves Hugging Face's
/// <c>Qwen2ForCausalLM</c> checkpoints (<c>model_type</c> "qwen2") key for key. Defaults are Qwen2.5-0.5B (494,032,768 parameters).
/// PEFT's default LoRA targets: <c>q_proj</c>, <c>v_proj</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class Qwen2Attribute : Attribute
{
    /// <summary>Number of decoder layers (<c>num_hidden_layers</c>).</summary>
    public int Layers { get; set; } = FamilyDefaults.Qwen2.Layers;

    /// <summary>Model width (<c>hidden_size</c>).</summary>
    public int Dim { get; set; } = FamilyDefaults.Qwen2.Dim;

    /// <summary>Query heads (<c>num_attention_heads</c>); must divide <see cref="Dim"/> unless <see cref="HeadDim"/> is given.</summary>
    public int Heads { get; set; } = FamilyDefaults.Qwen2.Heads;

    /// <summary>Key/value heads (<c>num_key_value_heads</c>); must divide <see cref="Heads"/>. 0 means equal to <see cref="Heads"/>.</summary>
    public int KvHeads { get; set; } = FamilyDefaults.Qwen2.KvHeads;

    /// <summary>Width of one head (<c>head_dim</c>); 0 means <see cref="Dim"/> / <see cref="Heads"/>. Must be even.</summary>
    public int HeadDim { get; set; } = FamilyDefaults.Qwen2.HeadDim;

    /// <summary>Feed-forward width (<c>intermediate_size</c>).</summary>
    public int Ffn { get; set; } = FamilyDefaults.Qwen2.Ffn;

    /// <summary>Vocabulary size (<c>vocab_size</c>).</summary>
    public int Vocab { get; set; } = FamilyDefaults.Qwen2.Vocab;

    /// <summary>Context window in tokens (<c>max_position_embeddings</c>).</summary>
    public int Context { get; set; } = FamilyDefaults.Qwen2.Context;

    /// <summary>Rotary base θ (<c>rope_theta</c>).</summary>
    public double RopeTheta { get; set; } = FamilyDefaults.Qwen2.RopeTheta;

    /// <summary>Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>).</summary>
    public bool TieEmbeddings { get; set; } = FamilyDefaults.Qwen2.TieEmbeddings;

    /// <summary>RMSNorm epsilon (<c>rms_norm_eps</c>).</summary>
    public double NormEps { get; set; } = FamilyDefaults.Qwen2.NormEps;

    /// <summary>
    /// Keys each query of a sliding-window layer attends, itself included (<c>sliding_window</c> with
    /// <c>use_sliding_window</c>); 0 for full attention in every layer.
    /// </summary>
    public int SlidingWindow { get; set; } = FamilyDefaults.Qwen2.SlidingWindow;

    /// <summary>The first layer that uses the sliding window (<c>max_window_layers</c>); the layers before it attend fully.</summary>
    public int MaxWindowLayers { get; set; } = FamilyDefaults.Qwen2.MaxWindowLayers;
}
