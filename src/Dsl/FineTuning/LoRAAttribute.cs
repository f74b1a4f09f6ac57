using System;
using ModelDsl.Shared;

namespace ModelDsl;

/// <summary>
/// LoRA (Hu et al., 2021), as Hugging Face PEFT implements it: beside each targeted linear layer a trainable
/// low-rank update, <c>y = W x + (B A dropout(x)) · alpha / rank</c>, with <c>A</c> <c>[rank, in]</c>
/// Kaiming-uniform and <c>B</c> <c>[out, rank]</c> zero, so a fresh adapter changes nothing. The base stays frozen;
/// the update can be merged into <c>W</c> for inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class LoRAAttribute : Attribute
{
    /// <summary>Declares LoRA of the given rank.</summary>
    /// <param name="rank">The rank <c>r</c> of the update (≥ 1, smaller than the target's smaller dimension).</param>
    public LoRAAttribute(int rank) => Rank = rank;

    /// <summary>The rank <c>r</c>.</summary>
    public int Rank { get; }

    /// <summary>The scale numerator: the update is multiplied by <c>Alpha / rank</c> (default 8, as PEFT).</summary>
    public double Alpha { get; set; } = DslDefaults.LoraAlpha;

    /// <summary>Dropout on the LoRA branch's input, in [0, 1) (default 0).</summary>
    public double Dropout { get; set; }

    /// <summary>
    /// Which linear layers get an update, with PEFT's semantics: an entry matches a layer whose full name equals it
    /// or ends with "." + it; a single entry starting with <c>^</c> or containing regex metacharacters is a regular
    /// expression that must match the whole name. Default: PEFT's per-family defaults (GPT-2 <c>c_attn</c>;
    /// Llama <c>q_proj</c>, <c>v_proj</c>; custom models: every attention <c>c_attn</c>).
    /// </summary>
    public string[]? Targets { get; set; }

    /// <summary>Restricts the targets to these block indices (PEFT's <c>layers_to_transform</c>).</summary>
    public int[]? Layers { get; set; }

    /// <summary>rsLoRA: scale by <c>Alpha / √rank</c> instead of <c>Alpha / rank</c>.</summary>
    public bool UseRsLora { get; set; }
}
