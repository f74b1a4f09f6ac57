using System;

namespace ModelDsl;

/// <summary>
/// Declares a GPT-2 causal language model (Hugging Face <c>GPT2LMHeadModel</c>) of the given sizes on a
/// <c>partial</c> class. The generated class loads and saves Hugging Face checkpoints key for key
/// (<c>transformer.wte</c>, <c>transformer.h.{i}.attn.c_attn</c>, …, <c>lm_head</c> tied to <c>wte</c>).
/// Defaults are GPT-2 small.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class Gpt2Attribute : Attribute
{
    /// <summary>Number of transformer blocks (<c>n_layer</c>).</summary>
    public int Layers { get; set; } = 12;

    /// <summary>Model width (<c>n_embd</c>).</summary>
    public int Dim { get; set; } = 768;

    /// <summary>Attention heads (<c>n_head</c>); must divide <see cref="Dim"/>.</summary>
    public int Heads { get; set; } = 12;

    /// <summary>Vocabulary size (<c>vocab_size</c>).</summary>
    public int Vocab { get; set; } = 50257;

    /// <summary>Context window in tokens (<c>n_positions</c>).</summary>
    public int Context { get; set; } = 1024;

    /// <summary>Layer-norm epsilon (<c>layer_norm_epsilon</c>).</summary>
    public double NormEps { get; set; } = 1e-5;
}
