using System.Collections.Generic;
using System.Globalization;

namespace ModelDsl.Shared.Peft;

/// <summary>
/// The bounds of the PEFT methods' arguments, as pure functions: the analyzers report each problem on the argument,
/// the runtime's constructors (<c>LoraSettings</c>, setups) throw with the same message, so the two cannot disagree.
/// </summary>
internal static class PeftArguments
{
    /// <summary>LoRA: rank ≥ 1, alpha finite and &gt; 0, dropout in [0, 1).</summary>
    public static List<ArgumentProblem> Lora(int rank, double alpha, double dropout)
    {
        var problems = new List<ArgumentProblem>();
        if (rank < 1)
            problems.Add(new("MDSL100", "rank", $"LoRA rank {rank} must be at least 1 (8 is a common choice)."));
        if (double.IsInfinity(alpha))
            problems.Add(new("MDSL103", "Alpha", $"Alpha = {Format(alpha)} must be finite; PEFT's default is 8, twice the rank is common."));
        else if (!(alpha > 0))
            problems.Add(new("MDSL103", "Alpha", $"Alpha = {Format(alpha)} must be greater than 0; PEFT's default is 8, twice the rank is common."));
        if (!(dropout >= 0 && dropout < 1))
            problems.Add(new("MDSL104", "Dropout", $"Dropout = {Format(dropout)} must be in [0, 1)."));
        return problems;
    }

    /// <summary>Soft prompt: at least one virtual token, and fewer than the context window holds.</summary>
    public static List<ArgumentProblem> SoftPrompt(int tokens, long context, string model)
    {
        var problems = new List<ArgumentProblem>();
        if (tokens < 1)
            problems.Add(new("MDSL140", "tokens", $"A soft prompt needs at least 1 virtual token, not {tokens} (20 is a common choice)."));
        else if (tokens >= context)
            problems.Add(new("MDSL141", "tokens",
                $"{tokens} virtual tokens leave no room for input in the {context}-token context window of '{model}'; use at most {context - 1}."));
        return problems;
    }

    /// <summary>Bottleneck adapter: width at least 1 and smaller than the model's.</summary>
    public static List<ArgumentProblem> Bottleneck(int bottleneck, long dim)
    {
        var problems = new List<ArgumentProblem>();
        if (bottleneck < 1 || bottleneck >= dim)
            problems.Add(new("MDSL164", "Bottleneck",
                $"Bottleneck = {bottleneck} must be at least 1 and smaller than the model width {dim}; try {System.Math.Max(1, dim / 12)}."));
        return problems;
    }

    static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
