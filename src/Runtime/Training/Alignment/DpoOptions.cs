using System;
using ModelDsl.Shared;
using ModelDsl.Shared.Alignment;

namespace ModelDsl.Training.Alignment;

/// <summary>Which preference loss <see cref="DpoObjective"/> minimises.</summary>
public enum PreferenceLoss
{
    /// <summary>DPO's sigmoid loss <c>−log σ(β·h)</c> (with label smoothing: the conservative DPO mix of <c>h</c> and <c>−h</c>).</summary>
    Sigmoid,

    /// <summary>
    /// IPO: <c>(h − 1/(2β))²</c>, with each answer's log-probability averaged over its tokens rather than summed (as the
    /// IPO paper and TRL's <c>loss_type="ipo"</c> do).
    /// </summary>
    Ipo,
}

/// <summary>
/// Direct preference optimisation's hyper-parameters. With <c>h = (log π(c) − log π_ref(c)) − (log π(r) − log π_ref(r))</c>
/// over the chosen answer c and the rejected answer r, the sigmoid loss is
/// <c>−(1 − ε)·log σ(β·h) − ε·log σ(−β·h)</c> and the IPO loss <c>(h − 1/(2β))²</c>.
/// </summary>
public sealed record DpoOptions
{
    /// <summary>β: how far the policy may move from the reference (TRL's default 0.1). Must be &gt; 0.</summary>
    public double Beta { get; init; } = DslDefaults.DpoBeta;

    /// <summary>ε: the assumed share of preference labels that are flipped (conservative DPO); in [0, 0.5). Sigmoid loss only.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>The loss: <see cref="PreferenceLoss.Sigmoid"/> (DPO) or <see cref="PreferenceLoss.Ipo"/>.</summary>
    public PreferenceLoss Loss { get; init; } = PreferenceLoss.Sigmoid;

    /// <summary>Whether an answer's log-probability is its tokens' mean (IPO) rather than their sum (DPO).</summary>
    public bool AveragesLogProbs => Loss == PreferenceLoss.Ipo;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that makes no sense (the bounds <c>[Dpo]</c> is checked against at compile time).</summary>
    public void Validate()
    {
        if (PreferenceArguments.Dpo(Beta, LabelSmoothing, Loss == PreferenceLoss.Ipo) is [var problem, ..])
            throw new ArgumentException($"DpoOptions.{problem.Message}", problem.Argument);
        if (!Enum.IsDefined(Loss))
            throw new ArgumentException($"DpoOptions.Loss = {(int)Loss} is not a known preference loss.", nameof(Loss));
    }
}
