using System;
using ModelDsl.Families;

namespace ModelDsl;

/// <summary>
/// Declares a Mistral causal language model: Llama's layers (no biases, SiLU-gated MLP, grouped-query attention) with a sliding attention window in every layer. Declared on a <c>partial</c> class, it generates a model that loads and saves Hugging Face's
/// <c>MistralForCausalLM</c> checkpoints (<c>model_type</c> "mistral") key for key. Defaults are Mistral-7B-v0.1 (7,241,732,096 parameters; window 4096).
/// PEFT's default LoRA targets: <c>q_proj</c>, <c>v_proj</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class MistralAttribute : Attribute
{
    /// <summary>Number of decoder layers (<c>num_hidden_layers</c>).</summary>
    public int Layers { get; set; } = FamilyDefaults.Mistral.Layers;

    /// <summary>Model width (<c>hidden_size</c>).</summary>
    public int Dim { get; set; } = FamilyDefaults.Mistral.Dim;

    /// <summary>Query heads (<c>num_attention_heads</c>); must divide <see cref="Dim"/> unless <see cref="HeadDim"/> is given.</summary>
    public int Heads { get; set; } = FamilyDefaults.Mistral.Heads;

    /// <summary>Key/value heads (<c>num_key_value_heads</c>); must divide <see cref="Heads"/>. 0 means equal to <see cref="Heads"/>.</summary>
    public int KvHeads { get; set; } = FamilyDefaults.Mistral.KvHeads;

    /// <summary>Width of one head (<c>head_dim</c>); 0 means <see cref="Dim"/> / <see cref="Heads"/>. Must be even.</summary>
    public int HeadDim { get; set; } = FamilyDefaults.Mistral.HeadDim;

    /// <summary>Feed-forward width (<c>intermediate_size</c>).</summary>
    public int Ffn { get; set; } = FamilyDefaults.Mistral.Ffn;

    /// <summary>Vocabulary size (<c>vocab_size</c>).</summary>
    public int Vocab { get; set; } = FamilyDefaults.Mistral.Vocab;

    /// <summary>Context window in tokens (<c>max_position_embeddings</c>).</summary>
    public int Context { get; set; } = FamilyDefaults.Mistral.Context;

    /// <summary>Rotary base θ (<c>rope_theta</c>).</summary>
    public double RopeTheta { get; set; } = FamilyDefaults.Mistral.RopeTheta;

    /// <summary>Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>).</summary>
    public bool TieEmbeddings { get; set; } = FamilyDefaults.Mistral.TieEmbeddings;

    /// <summary>RMSNorm epsilon (<c>rms_norm_eps</c>).</summary>
    public double NormEps { get; set; } = FamilyDefaults.Mistral.NormEps;

    /// <summary>Keys each query attends, itself included, in every layer (<c>sliding_window</c>); 0 for full attention.</summary>
    public int SlidingWindow { get; set; } = FamilyDefaults.Mistral.SlidingWindow;
}
