using System;
using ModelDsl.Layers;
using ModelDsl.Shared.Peft;

namespace ModelDsl.Peft;

/// <summary>
/// The hyper-parameters of one LoRA adapter, as PEFT's <c>LoraConfig</c> names them
/// (<c>r</c>, <c>lora_alpha</c>, <c>lora_dropout</c>, <c>use_rslora</c>).
/// </summary>
public sealed record LoraSettings
{
    /// <summary>Creates the settings, checking each value.</summary>
    /// <param name="rank">The rank <c>r</c> of the update <c>B·A</c>; at least 1.</param>
    /// <param name="alpha">The scale numerator <c>lora_alpha</c>; greater than 0.</param>
    /// <param name="dropout">Dropout on the LoRA branch's input, in [0, 1); 0 skips it.</param>
    /// <param name="useRsLora">Scale by <c>alpha/√r</c> (rank-stabilised LoRA) instead of <c>alpha/r</c>.</param>
    public LoraSettings(int rank, double alpha, double dropout = 0.0, bool useRsLora = false)
    {
        // The analyzers check the declared arguments with the same rule (MDSL100, MDSL103, MDSL104).
        if (PeftArguments.Lora(rank, alpha, dropout) is [var problem, ..])
            throw new ArgumentOutOfRangeException(problem.Argument.ToLowerInvariant(), problem.Message);
        Rank = rank;
        Alpha = alpha;
        Dropout = dropout;
        UseRsLora = useRsLora;
    }

    /// <summary>The rank <c>r</c>.</summary>
    public int Rank { get; }

    /// <summary>The scale numerator <c>lora_alpha</c>.</summary>
    public double Alpha { get; }

    /// <summary>Dropout probability on the LoRA branch (0 = none).</summary>
    public double Dropout { get; }

    /// <summary>Whether the scaling is <c>alpha/√r</c> (rsLoRA) rather than <c>alpha/r</c>.</summary>
    public bool UseRsLora { get; }

    /// <summary>The factor applied to <c>B·A·x</c>: <c>alpha/r</c>, or <c>alpha/√r</c> with rsLoRA.</summary>
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;
}
