using System;
using ModelDsl.Families;

namespace ModelDsl;

/// <summary>
/// Declares a Phi-3 causal language model: Llama's layers with fused projections (<c>self_attn.qkv_proj</c>, <c>mlp.gate_up_proj</c>), an untied head and a sliding attention window in every layer. Declared on a <c>partial</c> class, it generates a model that loads and saves Hugging Face's
/// <c>Phi3ForCausalLM</c> checkpoints (<c>model_type</c> "phi3") key for key. Defaults are Phi-3-mini-4k (3,821,079,552 parameters; window 2047).
/// PEFT's default LoRA targets: <c>qkv_proj</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class Phi3Attribute : Attribute
{
    /// <summary>Number of decoder layers (<c>num_hidden_layers</c>).</summary>
    public int Layers { get; set; } = FamilyDefaults.Phi3.Layers;

    /// <summary>Model width (<c>hidden_size</c>).</summary>
    public int Dim { get; set; } = FamilyDefaults.Phi3.Dim;

    /// <summary>Query heads (<c>num_attention_heads</c>); must divide <see cref="Dim"/> unless <see cref="HeadDim"/> is given.</summary>
    public int Heads { get; set; } = FamilyDefaults.Phi3.Heads;

    /// <summary>Key/value heads (<c>num_key_value_heads</c>); must divide <see cref="Heads"/>. 0 means equal to <see cref="Heads"/>.</summary>
    public int KvHeads { get; set; } = FamilyDefaults.Phi3.KvHeads;

    /// <summary>Width of one head (<c>head_dim</c>); 0 means <see cref="Dim"/> / <see cref="Heads"/>. Must be even.</summary>
    public int HeadDim { get; set; } = FamilyDefaults.Phi3.HeadDim;

    /// <summary>Feed-forward width (<c>intermediate_size</c>).</summary>
    public int Ffn { get; set; } = FamilyDefaults.Phi3.Ffn;

    /// <summary>Vocabulary size (<c>vocab_size</c>).</summary>
    public int Vocab { get; set; } = FamilyDefaults.Phi3.Vocab;

    /// <summary>Context window in tokens (<c>max_position_embeddings</c>).</summary>
    public int Context { get; set; } = FamilyDefaults.Phi3.Context;

    /// <summary>Rotary base θ (<c>rope_theta</c>).</summary>
    public double RopeTheta { get; set; } = FamilyDefaults.Phi3.RopeTheta;

    /// <summary>Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>).</summary>
    public bool TieEmbeddings { get; set; } = FamilyDefaults.Phi3.TieEmbeddings;

    /// <summary>RMSNorm epsilon (<c>rms_norm_eps</c>).</summary>
    public double NormEps { get; set; } = FamilyDefaults.Phi3.NormEps;

    /// <summary>Keys each query attends, itself included, in every layer (<c>sliding_window</c>); 0 for full attention.</summary>
    public int SlidingWindow { get; set; } = FamilyDefaults.Phi3.SlidingWindow;
}
