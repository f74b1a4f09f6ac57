using System.Collections.Generic;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.DeclaredModels;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Families;

/// <summary>The rules a <c>[Gpt2]</c> or <c>[Llama]</c> declaration must satisfy.</summary>
internal static class FamilyValidator
{
    public static IReadOnlyList<Finding> Validate(Gpt2Spec spec)
    {
        var findings = new List<Finding>();
        TypeRules.Check(spec.Type, spec.DeclaresConstructor, findings);
        Positive(findings, ("Layers", spec.Layers), ("Dim", spec.Dim), ("Heads", spec.Heads), ("Vocab", spec.Vocab), ("Context", spec.Context));
        HeadRules.Check(findings, null, spec.Dim, spec.Heads, spec.Heads, "Dim", "Heads");
        if (!(spec.NormEps > 0))
            findings.Add(new Finding(DiagnosticIds.EpsNotPositive, $"NormEps {ModelValidator.Format(spec.NormEps)} must be greater than 0.", null, "NormEps"));
        return findings;
    }

    public static IReadOnlyList<Finding> Validate(LlamaSpec spec)
    {
        var findings = new List<Finding>();
        TypeRules.Check(spec.Type, spec.DeclaresConstructor, findings);
        Positive(findings, ("Layers", spec.Layers), ("Dim", spec.Dim), ("Heads", spec.Heads),
            // KvHeads left out takes Heads' value: report it only when it was written.
            ("KvHeads", spec.KvHeads == spec.Heads ? 1 : spec.KvHeads),
            ("Ffn", spec.Ffn), ("Vocab", spec.Vocab), ("Context", spec.Context));
        HeadRules.Check(findings, null, spec.Dim, spec.Heads, spec.KvHeads, "Dim", "Heads");
        if (spec.Heads >= 1 && spec.Dim % spec.Heads == 0 && (spec.Dim / spec.Heads) % 2 != 0)
            findings.Add(new Finding(DiagnosticIds.HeadsDoNotDivideWidth,
                $"Dim / Heads = {spec.Dim / spec.Heads} must be even for rotary embeddings.", null, "Heads"));
        if (!(spec.NormEps > 0))
            findings.Add(new Finding(DiagnosticIds.EpsNotPositive, $"NormEps {ModelValidator.Format(spec.NormEps)} must be greater than 0.", null, "NormEps"));
        if (!(spec.RopeTheta > 0))
            findings.Add(new Finding(DiagnosticIds.EpsNotPositive, $"RopeTheta {ModelValidator.Format(spec.RopeTheta)} must be greater than 0.", null, "RopeTheta"));
        return findings;
    }

    static void Positive(List<Finding> findings, params (string Argument, int Value)[] sizes)
    {
        if (sizes[0] is ("Layers", > ModelValidator.MaxBlocks) layers)
            findings.Add(new Finding(DiagnosticIds.RepeatCountNotPositive,
                $"Layers is {layers.Value}; ModelDsl lays out at most {ModelValidator.MaxBlocks} blocks.", null, "Layers"));
        foreach (var (argument, value) in sizes)
            if (value < 1)
                findings.Add(new Finding(DiagnosticIds.SizeNotPositive, $"{argument} is {value}; it must be at least 1.", null, argument));
    }
}
