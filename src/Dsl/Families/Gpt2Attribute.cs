using System;
using ModelDsl.Families;

namespace ModelDsl;

/// <summary>
/// Declares a GPT-2 causal language model (Hugging Face <c>GPT2LMHeadModel</c>, <c>model_type</c> "gpt2") of the given
/// sizes on a <c>partial</c> class. The generated class loads and saves Hugging Face checkpoints key for key
/// (<c>transformer.wte</c>, <c>transformer.h.{i}.attn.c_attn</c>, …, <c>lm_head</c> tied to <c>wte</c>).
/// Defaults are GPT-2 small (124,439,808 parameters). PEFT's default LoRA target: <c>c_attn</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class Gpt2Attribute : Attribute
{
    /// <summary>Number of transformer blocks (<c>n_layer</c>).</summary>
    public int Layers { get; set; } = FamilyDefaults.Gpt2.Layers;

    /// <summary>Model width (<c>n_embd</c>).</summary>
    public int Dim { get; set; } = FamilyDefaults.Gpt2.Dim;

    /// <summary>Attention heads (<c>n_head</c>); must divide <see cref="Dim"/>.</summary>
    public int Heads { get; set; } = FamilyDefaults.Gpt2.Heads;

    /// <summary>Vocabulary size (<c>vocab_size</c>).</summary>
    public int Vocab { get; set; } = FamilyDefaults.Gpt2.Vocab;

    /// <summary>Context window in tokens (<c>n_positions</c>).</summary>
    public int Context { get; set; } = FamilyDefaults.Gpt2.Context;

    /// <summary>Layer-norm epsilon (<c>layer_norm_epsilon</c>).</summary>
    public double NormEps { get; set; } = FamilyDefaults.Gpt2.NormEps;
}
