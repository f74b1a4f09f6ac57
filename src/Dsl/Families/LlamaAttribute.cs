using System;

namespace ModelDsl;

/// <summary>
/// Declares a Llama causal language model (Hugging Face <c>LlamaForCausalLM</c>) of the given sizes on a
/// <c>partial</c> class: RMSNorm, rotary position embeddings (rotate-half layout), grouped-query attention
/// and a SwiGLU feed-forward, with state-dict names <c>model.layers.{i}.self_attn.q_proj</c>, ….
/// Defaults are Llama-2-7B.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class LlamaAttribute : Attribute
{
    /// <summary>Number of decoder layers (<c>num_hidden_layers</c>).</summary>
    public int Layers { get; set; } = 32;

    /// <summary>Model width (<c>hidden_size</c>).</summary>
    public int Dim { get; set; } = 4096;

    /// <summary>Query heads (<c>num_attention_heads</c>); must divide <see cref="Dim"/>.</summary>
    public int Heads { get; set; } = 32;

    /// <summary>Key/value heads (<c>num_key_value_heads</c>); must divide <see cref="Heads"/>. 0 means equal to <see cref="Heads"/>.</summary>
    public int KvHeads { get; set; }

    /// <summary>Feed-forward width (<c>intermediate_size</c>).</summary>
    public int Ffn { get; set; } = 11008;

    /// <summary>Vocabulary size (<c>vocab_size</c>).</summary>
    public int Vocab { get; set; } = 32000;

    /// <summary>Context window in tokens (<c>max_position_embeddings</c>).</summary>
    public int Context { get; set; } = 4096;

    /// <summary>Rotary base θ (<c>rope_theta</c>).</summary>
    public double RopeTheta { get; set; } = 10000;

    /// <summary>Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>).</summary>
    public bool TieEmbeddings { get; set; }

    /// <summary>RMSNorm epsilon (<c>rms_norm_eps</c>).</summary>
    public double NormEps { get; set; } = 1e-5;
}
