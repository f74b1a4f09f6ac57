using System;
using ModelDsl.Shared;

namespace ModelDsl;

/// <summary>Which loss a <see cref="DpoAttribute"/> setup minimises (TRL's <c>loss_type</c>).</summary>
public enum DpoLossType
{
    /// <summary>DPO's sigmoid loss <c>−log σ(β·h)</c>, with label smoothing when <see cref="DpoAttribute.LabelSmoothing"/> is set.</summary>
    Sigmoid,
    /// <summary>IPO: <c>(h − 1/(2β))²</c> over answer log-probabilities averaged per token; no label smoothing.</summary>
    Ipo,
}

/// <summary>
/// Declares direct preference optimisation for the setup beside it (<see cref="FineTuneAttribute{TModel}"/>): the setup
/// gains a static <c>DpoOptions</c> with these values and a <c>DpoObjective(data)</c> factory whose policy is the setup (a
/// setup with adapters is its own reference, adapters disabled). The setup must train something.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class DpoAttribute : Attribute
{
    /// <summary>β: how far the policy may move from the reference; finite and &gt; 0 (default 0.1, as TRL).</summary>
    public double Beta { get; set; } = DslDefaults.DpoBeta;

    /// <summary>ε: the assumed share of flipped preference labels, in [0, 0.5); sigmoid loss only (default 0).</summary>
    public double LabelSmoothing { get; set; }

    /// <summary>The loss (default <see cref="DpoLossType.Sigmoid"/>).</summary>
    public DpoLossType Loss { get; set; } = DpoLossType.Sigmoid;
}
