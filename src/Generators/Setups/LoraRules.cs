using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Shared.Peft;
using ModelDsl.Targeting;

namespace ModelDsl.Generators.Setups;

/// <summary>Which layers a <c>[LoRA]</c> declaration targets, and what is wrong with it.</summary>
internal static class LoraRules
{
    public static List<LayerEntry> Resolve(LoraSpec lora, ModelDescription model, List<Finding> findings)
    {
        foreach (var problem in PeftArguments.Lora(lora.Rank, lora.Alpha, lora.Dropout))
            findings.Add(new Finding(problem.Id, problem.Message, Argument: problem.Argument, Attribute: "LoRA"));

        var targets = lora.Targets ?? SetupPlan.DefaultTargets(model.Family);
        if (TargetPatterns.RegexError(targets) is { } regexError)
        {
            findings.Add(new Finding(DiagnosticIds.InvalidTargetRegex, $"The target regex \"{targets[0]}\" is invalid: {regexError}", Argument: "Targets", Attribute: "LoRA"));
            return new List<LayerEntry>();
        }
        if (TargetPatterns.FirstTimeout(targets, model.Layers.Select(l => l.Name)) is { } slowName)
        {
            findings.Add(new Finding(DiagnosticIds.InvalidTargetRegex,
                $"The target regex \"{targets[0]}\" takes too long to match '{slowName}' (catastrophic backtracking); remove the nested quantifiers.",
                Argument: "Targets", Attribute: "LoRA"));
            return new List<LayerEntry>();
        }
        if (lora.Layers is { } layers)
            foreach (var index in layers.Where(i => i < 0 || i >= model.BlockCount))
                findings.Add(new Finding(DiagnosticIds.LayersOutOfRange,
                    $"Layers contains {index}, but '{SetupPlanner.ShortType(model)}' has blocks 0 to {model.BlockCount - 1}.", Argument: "Layers", Attribute: "LoRA"));

        var matched = model.Layers
            .Where(l => TargetPatterns.Matches(l.Name, targets))
            .Where(l => lora.Layers is null || lora.Layers.Value.Contains(l.BlockIndex))
            .ToList();
        ReportUnmatched(lora, model, targets, findings);

        foreach (var layer in matched.Where(l => !l.IsAffine).Take(1))
            findings.Add(new Finding(DiagnosticIds.TargetNotLinear,
                $"The target '{layer.Name}' is a {Describe(layer.Type)}, not a linear layer; LoRA adapts linear layers such as {string.Join(", ", AffineNames(model).Take(3).Select(n => "\"" + n + "\""))}.",
                Argument: "Targets", Attribute: "LoRA"));
        foreach (var layer in matched.Where(l => l.IsAffine && l.IsTied).Take(1))
            findings.Add(new Finding(DiagnosticIds.TargetTied,
                $"The target '{layer.Name}' shares its weight with the token embedding; remove it from Targets (LoRA on a tied head is not supported).",
                Argument: "Targets", Attribute: "LoRA"));
        foreach (var layer in matched.Where(l => !l.IsReachable).Take(1))
            findings.Add(new Finding(DiagnosticIds.Unreachable,
                $"The target '{layer.Name}' is reached through a private member; make it public or internal so the setup can adapt it.",
                Argument: "Targets", Attribute: "LoRA"));

        var affine = matched.Where(l => l.IsAffine).ToList();
        if (lora.Rank >= 1 && affine.Count > 0)
        {
            var smallest = affine.OrderBy(l => Math.Min(l.InFeatures, l.OutFeatures)).First();
            long limit = Math.Min(smallest.InFeatures, smallest.OutFeatures);
            if (lora.Rank > limit)
                findings.Add(new Finding(DiagnosticIds.RankTooLarge,
                    $"LoRA rank {lora.Rank} exceeds the smaller dimension ({limit}) of '{smallest.Name}' [{smallest.OutFeatures} × {smallest.InFeatures}]; the largest valid rank is {limit}.",
                    Argument: "rank", Attribute: "LoRA", Replacement: limit.ToString(CultureInfo.InvariantCulture)));
            else if (2L * lora.Rank >= limit)
                findings.Add(new Finding(DiagnosticIds.RankNotLow,
                    $"LoRA rank {lora.Rank} is at least half the smaller dimension ({limit}) of '{smallest.Name}'; such an update is not low-rank and saves little over training the layer.",
                    Argument: "rank", Attribute: "LoRA", IsWarning: true));
        }
        return affine;
    }

    static void ReportUnmatched(LoraSpec lora, ModelDescription model, EquatableArray<string> targets, List<Finding> findings)
    {
        var entries = TargetPatterns.IsRegex(targets) ? new[] { targets[0] } : targets.ToArray();
        foreach (var target in entries)
        {
            bool any = model.Layers.Any(l => (TargetPatterns.IsRegex(targets) ? TargetPatterns.Matches(l.Name, targets) : TargetPatterns.MatchesPlain(l.Name, target))
                                             && (lora.Layers is null || lora.Layers.Value.Contains(l.BlockIndex)));
            if (any) continue;
            var closest = TargetPatterns.Closest(target, AffineNames(model));
            findings.Add(new Finding(DiagnosticIds.TargetMatchesNothing,
                $"The LoRA target \"{target}\" matches no layer of '{SetupPlanner.ShortType(model)}'{(lora.Layers is null ? "" : " in the selected Layers")}; closest names: {string.Join(", ", closest.Select(n => "\"" + n + "\""))}.",
                Argument: "Targets", Attribute: "LoRA", Element: target, Replacement: closest.FirstOrDefault()));
        }
    }

    static IEnumerable<string> AffineNames(ModelDescription model) =>
        model.Layers.Where(l => l.IsAffine && !l.IsTied).Select(l => l.ShortName).Distinct();

    static string Describe(LayerType type) => type switch
    {
        LayerType.LayerNorm => "LayerNorm",
        LayerType.RmsNorm => "RMSNorm",
        LayerType.Embedding => "embedding",
        LayerType.Dropout => "dropout layer",
        _ => "container of layers",
    };
}
