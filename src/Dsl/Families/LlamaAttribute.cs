using System;
using ModelDsl.Families;

namespace ModelDsl;

/// <summary>
/// Declares a Llama causal language model (Hugging Face <c>LlamaForCausalLM</c>, <c>model_type</c> "llama": Llama 2,
/// Llama 3.x) of the given sizes on a <c>partial</c> class: RMSNorm, rotary position embeddings (rotate-half layout,
/// optionally with Llama 3's scaling), grouped-query attention and a SwiGLU feed-forward, with state-dict names
/// <c>model.layers.{i}.self_attn.q_proj</c>, …. Defaults are Llama-2-7B (6,738,415,616 parameters). Llama-3.2-1B is
/// <c>[Llama(Layers = 16, Dim = 2048, Heads = 32, KvHeads = 8, Ffn = 8192, Vocab = 128256, Context = 131072,
/// RopeTheta = 500000, TieEmbeddings = true, RopeScaling = RopeScaling.Llama3, RopeFactor = 32)]</c>.
/// PEFT's default LoRA targets: <c>q_proj</c>, <c>v_proj</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class LlamaAttribute : Attribute
{
    /// <summary>Number of decoder layers (<c>num_hidden_layers</c>).</summary>
    public int Layers { get; set; } = FamilyDefaults.Llama.Layers;

    /// <summary>Model width (<c>hidden_size</c>).</summary>
    public int Dim { get; set; } = FamilyDefaults.Llama.Dim;

    /// <summary>Query heads (<c>num_attention_heads</c>); must divide <see cref="Dim"/> unless <see cref="HeadDim"/> is given.</summary>
    public int Heads { get; set; } = FamilyDefaults.Llama.Heads;

    /// <summary>Key/value heads (<c>num_key_value_heads</c>); must divide <see cref="Heads"/>. 0 means equal to <see cref="Heads"/>.</summary>
    public int KvHeads { get; set; } = FamilyDefaults.Llama.KvHeads;

    /// <summary>Width of one head (<c>head_dim</c>); 0 means <see cref="Dim"/> / <see cref="Heads"/>. Must be even.</summary>
    public int HeadDim { get; set; } = FamilyDefaults.Llama.HeadDim;

    /// <summary>Feed-forward width (<c>intermediate_size</c>).</summary>
    public int Ffn { get; set; } = FamilyDefaults.Llama.Ffn;

    /// <summary>Vocabulary size (<c>vocab_size</c>).</summary>
    public int Vocab { get; set; } = FamilyDefaults.Llama.Vocab;

    /// <summary>Context window in tokens (<c>max_position_embeddings</c>).</summary>
    public int Context { get; set; } = FamilyDefaults.Llama.Context;

    /// <summary>Rotary base θ (<c>rope_theta</c>).</summary>
    public double RopeTheta { get; set; } = FamilyDefaults.Llama.RopeTheta;

    /// <summary>Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>).</summary>
    public bool TieEmbeddings { get; set; } = FamilyDefaults.Llama.TieEmbeddings;

    /// <summary>RMSNorm epsilon (<c>rms_norm_eps</c>).</summary>
    public double NormEps { get; set; } = FamilyDefaults.Llama.NormEps;

    /// <summary>Rotary scaling (<c>rope_scaling.rope_type</c>): none, linear or llama3.</summary>
    public RopeScaling RopeScaling { get; set; } = RopeScaling.None;

    /// <summary>Scaling factor (<c>rope_scaling.factor</c>; Llama 3.1: 8, Llama 3.2: 32). Used with a <see cref="RopeScaling"/>.</summary>
    public double RopeFactor { get; set; } = FamilyDefaults.Llama.RopeFactor;

    /// <summary>Low-frequency factor of llama3 scaling (<c>rope_scaling.low_freq_factor</c>).</summary>
    public double LowFreqFactor { get; set; } = FamilyDefaults.Llama.LowFreqFactor;

    /// <summary>High-frequency factor of llama3 scaling (<c>rope_scaling.high_freq_factor</c>); must exceed <see cref="LowFreqFactor"/>.</summary>
    public double HighFreqFactor { get; set; } = FamilyDefaults.Llama.HighFreqFactor;

    /// <summary>Pretraining context of llama3 scaling (<c>rope_scaling.original_max_position_embeddings</c>).</summary>
    public int OriginalContext { get; set; } = FamilyDefaults.Llama.OriginalContext;
}
