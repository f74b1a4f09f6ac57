using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.DeclaredModels;

/// <summary>
/// The rules a <c>[Model]</c> or <c>[Module]</c> declaration must satisfy, as a pure function of its spec.
/// The generator emits nothing for a spec with findings; the analyzers report them where they occur.
/// </summary>
internal static class ModelValidator
{
    /// <summary>The most blocks a [Repeat] or a family's Layers may declare: every block is laid out at compile time (the largest published models have ~130).</summary>
    public const int MaxBlocks = 1024;

    public static IReadOnlyList<Finding> Validate(ClassSpec spec, ModuleCatalog catalog) => Check(spec, catalog).Findings;

    /// <summary>
    /// The findings of <paramref name="spec"/> and, when none is an error, its layout (not pipeline data: used within a
    /// step). The size check walks the layout once, and the emitter and the setups reuse that walk.
    /// </summary>
    public static (IReadOnlyList<Finding> Findings, ParameterLayout? Layout) Check(ClassSpec spec, ModuleCatalog catalog)
    {
        var findings = new List<Finding>();
        TypeRules.Check(spec.Type, spec.DeclaresConstructor, findings);

        var stateNames = new HashSet<string>();
        foreach (var member in spec.Members)
        {
            var expectedType = KnownNames.RuntimeTypeFor(member.Layer);
            if (member.Layer is IncompleteLayerSpec incomplete)
            {
                findings.Add(new Finding(DiagnosticIds.IncompleteArguments,
                    $"The arguments of [{incomplete.AttributeName.Replace("Attribute", "")}] on '{member.Name}' must be compile-time constants of the declared types.",
                    member.Name));
                continue;
            }
            if (expectedType.Length > 0 && member.DeclaredType != expectedType)
                findings.Add(new Finding(DiagnosticIds.WrongMemberType,
                    $"'{member.Name}' must be declared as '{expectedType.Replace("global::", "")}' to hold this layer, not '{member.DeclaredType.Replace("global::", "")}'.",
                    member.Name));
            if (member.IsProperty && !member.IsImplementable)
                findings.Add(new Finding(DiagnosticIds.PropertyNotImplementable,
                    $"'{member.Name}' must be declared 'partial' with only 'get;' so that the generator can implement it.",
                    member.Name));
            if (member.StateName.Length == 0 || member.StateName.Contains("."))
                findings.Add(new Finding(DiagnosticIds.InvalidStateName,
                    $"The state-dict name '{member.StateName}' of '{member.Name}' must be non-empty and contain no '.'.",
                    member.Name, "Name"));
            else if (!stateNames.Add(member.StateName))
                findings.Add(new Finding(DiagnosticIds.DuplicateStateName,
                    $"Two layers are named '{member.StateName}'; give '{member.Name}' a different Name so that every state-dict key is unique.",
                    member.Name, "Name"));

            CheckLayer(spec, member, catalog, findings);
        }
        // Warnings leave a declaration valid, so it is still laid out; the size check runs on a clean one only.
        var layout = InvalidReason.FirstError(findings) is null ? ParameterLayout.Build(spec, catalog) : null;
        if (findings.Count == 0 && layout is not null) CheckSize(spec, layout, findings);
        return (findings, layout);
    }

    // The families' bound (1 TB of fp32 weights) holds for declared models too; the total is summed in double, as a
    // long sum of sizes near int.MaxValue² would overflow.
    static void CheckSize(ClassSpec spec, ParameterLayout layout, List<Finding> findings)
    {
        var total = layout.Parameters.Sum(p => p.Shape.Aggregate(1.0, (product, size) => product * size));
        if (total > ModelDsl.Families.FamilyRules.MaxParameters)
            findings.Add(new Finding(DiagnosticIds.ModelTooLarge,
                $"The layers of '{spec.Type.Name}' would need {total.ToString("E3", CultureInfo.InvariantCulture)} parameters "
                + $"({(total * 4 / 1e12).ToString("F1", CultureInfo.InvariantCulture)} TB in fp32), over the 1 TB limit; check their sizes for a typo."));
    }

    static void CheckLayer(ClassSpec spec, MemberSpec member, ModuleCatalog catalog, List<Finding> findings)
    {
        switch (member.Layer)
        {
            case LinearSpec linear:
                Positive(findings, member, ("inFeatures", linear.InFeatures), ("outFeatures", linear.OutFeatures));
                if (linear.TiedTo is not null) CheckTie(spec, member, linear, findings);
                break;
            case EmbeddingSpec embedding:
                Positive(findings, member, ("count", embedding.Count), ("dim", embedding.Dim));
                break;
            case LayerNormSpec norm:
                Positive(findings, member, ("dim", norm.Dim));
                PositiveEps(findings, member, norm.Eps);
                break;
            case RmsNormSpec rms:
                Positive(findings, member, ("dim", rms.Dim));
                PositiveEps(findings, member, rms.Eps);
                break;
            case DropoutSpec dropout:
                if (!(dropout.P >= 0 && dropout.P < 1))
                    findings.Add(new Finding(DiagnosticIds.DropoutOutOfRange,
                        $"Dropout probability {Format(dropout.P)} on '{member.Name}' must be in [0, 1).", member.Name, "p"));
                break;
            case AttentionSpec attention:
                Positive(findings, member, ("dim", attention.Dim), ("heads", attention.Heads), ("KvHeads", attention.KvHeads));
                HeadRules.Check(findings, member.Name, attention.Dim, attention.Heads, attention.KvHeads, "dim", "heads");
                break;
            case MlpSpec mlp:
                Positive(findings, member, ("dim", mlp.Dim), ("hidden", mlp.Hidden));
                break;
            case RepeatSpec repeat:
                if (repeat.Count < 1)
                    findings.Add(new Finding(DiagnosticIds.RepeatCountNotPositive,
                        $"[Repeat({repeat.Count})] on '{member.Name}' must repeat its block at least once.", member.Name, "count"));
                else if (repeat.Count > MaxBlocks)
                    findings.Add(new Finding(DiagnosticIds.RepeatCountNotPositive,
                        $"[Repeat({repeat.Count})] on '{member.Name}' repeats its block more than {MaxBlocks} times; ModelDsl lays out at most {MaxBlocks} blocks.", member.Name, "count"));
                if (catalog.Find(repeat.BlockType) is null)
                    findings.Add(new Finding(DiagnosticIds.RepeatedTypeNotModule,
                        $"'{member.Name}' repeats '{(repeat.BlockType.Length == 0 ? "an unknown type" : repeat.BlockType.Replace("global::", ""))}', which is not a [Module] class; declare it as ModuleList<TBlock> of a partial class marked [Module].",
                        member.Name));
                else if (ReachesItself(spec.Type.FullyQualifiedName, repeat.BlockType, catalog, 0))
                    findings.Add(new Finding(DiagnosticIds.RepeatCycle,
                        $"'{member.Name}' repeats '{repeat.BlockType.Replace("global::", "")}', which contains '{spec.Type.Name}' again; blocks cannot contain themselves.",
                        member.Name));
                break;
        }
    }

    static void CheckTie(ClassSpec spec, MemberSpec member, LinearSpec linear, List<Finding> findings)
    {
        var target = spec.Members.FirstOrDefault(m => m.Name == linear.TiedTo);
        if (target?.Layer is not EmbeddingSpec embedding)
        {
            findings.Add(new Finding(DiagnosticIds.TiedToUnknown,
                $"TiedTo = \"{linear.TiedTo}\" on '{member.Name}' must name an [Embedding] member of '{spec.Type.Name}' (use nameof).",
                member.Name, "TiedTo"));
            return;
        }
        if (embedding.Count != linear.OutFeatures || embedding.Dim != linear.InFeatures)
            findings.Add(new Finding(DiagnosticIds.TiedShapeMismatch,
                $"'{member.Name}' [Linear({linear.InFeatures}, {linear.OutFeatures})] cannot share the weight of '{target.Name}' [Embedding({embedding.Count}, {embedding.Dim})]: a tied head needs Linear({embedding.Dim}, {embedding.Count}).",
                member.Name, "TiedTo"));
    }

    static bool ReachesItself(string self, string blockType, ModuleCatalog catalog, int depth)
    {
        if (blockType == self) return true;
        if (depth > 16 || catalog.Find(blockType) is not { } block) return false;
        return block.Members.Select(m => m.Layer).OfType<RepeatSpec>()
            .Any(inner => ReachesItself(self, inner.BlockType, catalog, depth + 1));
    }

    static void Positive(List<Finding> findings, MemberSpec member, params (string Argument, int Value)[] sizes)
    {
        foreach (var (argument, value) in sizes)
            if (value < 1)
                findings.Add(new Finding(DiagnosticIds.SizeNotPositive,
                    $"'{argument}' of '{member.Name}' is {value}; sizes must be at least 1.", member.Name, argument));
    }

    static void PositiveEps(List<Finding> findings, MemberSpec member, double eps)
    {
        if (!(eps > 0))
            findings.Add(new Finding(DiagnosticIds.EpsNotPositive,
                $"Eps {Format(eps)} on '{member.Name}' must be greater than 0.", member.Name, "Eps"));
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
