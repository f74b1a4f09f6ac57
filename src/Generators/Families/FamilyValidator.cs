using System.Collections.Generic;
using System.Linq;
using ModelDsl.Families;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Specs;
using A = ModelDsl.Families.FamilyArguments;

namespace ModelDsl.Generators.Families;

/// <summary>
/// The rules a family declaration must satisfy: the class's shape, the shared family rules (the same the runtime's
/// configs apply), and arguments that have no effect.
/// </summary>
internal static class FamilyValidator
{
    static readonly string[] Llama3Only = { A.LowFreqFactor, A.HighFreqFactor, A.OriginalContext };

    public static IReadOnlyList<Finding> Validate(FamilySpec spec)
    {
        var findings = new List<Finding>();
        TypeRules.Check(spec.Type, spec.DeclaresConstructor, findings);
        findings.AddRange(ShapeFindings(spec.Shape));
        CheckRopeArguments(spec, findings);
        return findings;
    }

    /// <summary>The shared rules' problems of <paramref name="shape"/>, as findings on the arguments they are about.</summary>
    public static IEnumerable<Finding> ShapeFindings(FamilyShape shape) =>
        FamilyRules.Check(shape, argument => argument).Select(problem => new Finding(IdOf(problem.Kind), problem.Message, null,
            problem.Argument.Length == 0 ? null : problem.Argument, problem.Argument.Length == 0 ? shape.Traits.AttributeName : null));

    internal static string IdOf(FamilyProblemKind kind) => kind switch
    {
        FamilyProblemKind.SizeNotPositive => DiagnosticIds.SizeNotPositive,
        FamilyProblemKind.TooManyLayers => DiagnosticIds.RepeatCountNotPositive,
        FamilyProblemKind.HeadsDoNotDivideWidth => DiagnosticIds.HeadsDoNotDivideWidth,
        FamilyProblemKind.KvHeadsDoNotDivideHeads => DiagnosticIds.KvHeadsDoNotDivideHeads,
        FamilyProblemKind.NotPositiveFinite => DiagnosticIds.EpsNotPositive,
        FamilyProblemKind.RopeScalingInconsistent => DiagnosticIds.RopeScalingInvalid,
        _ => DiagnosticIds.ModelTooLarge,
    };

    // Rotary-scaling arguments that a chosen (or absent) RopeScaling ignores are mistakes, not silent no-ops.
    static void CheckRopeArguments(FamilySpec spec, List<Finding> findings)
    {
        if (spec.UnknownRopeScaling)
        {
            findings.Add(new Finding(DiagnosticIds.RopeScalingInvalid,
                "RopeScaling must be RopeScaling.None, RopeScaling.Linear or RopeScaling.Llama3.", null, A.RopeScaling));
            return;
        }
        var scaling = spec.Shape.RopeScaling;
        foreach (var argument in spec.Written)
        {
            bool unused = argument == A.RopeFactor ? scaling is null
                : Llama3Only.Contains(argument) && scaling?.Kind != RopeKind.Llama3;
            if (!unused) continue;
            findings.Add(new Finding(DiagnosticIds.RopeScalingInvalid, scaling is null
                    ? $"{argument} has no effect without RopeScaling; set RopeScaling = RopeScaling.Llama3 (or RopeScaling.Linear) or remove {argument}."
                    : $"{argument} is used by llama3 scaling only; set RopeScaling = RopeScaling.Llama3 or remove {argument}.",
                null, argument));
        }
    }
}
