using System.Collections.Generic;
using System.Globalization;
using ModelDsl.Shared.Peft;

namespace ModelDsl.Shared.Alignment;

/// <summary>
/// The bounds of DPO's hyper-parameters, written once: the analyzer reports each problem on the <c>[Dpo]</c> argument, the
/// runtime's <c>DpoOptions.Validate</c> throws with the same message.
/// </summary>
internal static class PreferenceArguments
{
    /// <summary>Label smoothing must stay below this: at 0.5 chosen and rejected are indistinguishable.</summary>
    public const double LabelSmoothingLimit = 0.5;

    /// <summary>β finite and &gt; 0; label smoothing in [0, 0.5), and 0 with the IPO loss.</summary>
    public static List<ArgumentProblem> Dpo(double beta, double labelSmoothing, bool ipo)
    {
        var problems = new List<ArgumentProblem>();
        if (!(beta > 0) || double.IsInfinity(beta))
            problems.Add(new("MDSL170", "Beta",
                $"Beta = {Format(beta)}: β must be a positive, finite number (it scales the implicit reward; TRL's default is 0.1)."));
        if (!(labelSmoothing >= 0 && labelSmoothing < LabelSmoothingLimit))
            problems.Add(new("MDSL171", "LabelSmoothing",
                $"LabelSmoothing = {Format(labelSmoothing)} must lie in [0, 0.5): it is the assumed share of flipped labels, and at 0.5 chosen and rejected are indistinguishable."));
        else if (ipo && labelSmoothing != 0)
            problems.Add(new("MDSL172", "LabelSmoothing",
                $"LabelSmoothing = {Format(labelSmoothing)} with the IPO loss: label smoothing applies to the sigmoid loss only; set it to 0 or use the sigmoid loss."));
        return problems;
    }

    static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
