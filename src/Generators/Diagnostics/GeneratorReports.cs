using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>A diagnostic the generator reports itself, as equatable data.</summary>
internal sealed record ReportedDiagnostic(string Id, string Message, SourceSpot? Spot);

/// <summary>The generator's reports for one declaration (a class, so a step can be guarded).</summary>
internal sealed record ReportList(EquatableArray<ReportedDiagnostic> Items);

/// <summary>
/// The few findings the generator reports instead of the analyzer. When C# itself stops at a declaration error — a
/// non-constant attribute argument (CS0182), a repeated type that is not a module (CS0311), partial members in a class
/// that cannot take a generated part (CS0751, CS9248) — csc never runs analyzers, so their MDSL explanation would be
/// lost; generator diagnostics are reported before that stop. Each is reported once: the analyzer skips these.
/// </summary>
internal static class GeneratorReports
{
    /// <summary>Whether finding <paramref name="id"/> on <paramref name="type"/> is the generator's to report.</summary>
    public static bool ReportedByGenerator(INamedTypeSymbol type, string id) =>
        id is DiagnosticIds.IncompleteArguments or DiagnosticIds.IncompleteMethod or DiagnosticIds.RepeatedTypeNotModule
        || (TypeRules.IsBlocking(id) && TypeParser.HasPartialMembers(type));

    /// <summary>The generator's reports for <paramref name="type"/>, located as the analyzer would locate them.</summary>
    public static EquatableArray<ReportedDiagnostic> For(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        // Most declarations have none: skip the second validation unless a cheap look says one is possible.
        if (!MayHaveReports(type)) return EquatableArray<ReportedDiagnostic>.Empty;
        return ModelDslAnalyzer.Findings(type, cancellationToken)
            .Where(f => ReportedByGenerator(type, f.Finding.Id))
            .Select(f => new ReportedDiagnostic(f.Finding.Id, f.Finding.Message,
                SourceSpot.Of(FindingLocator.Locate(type, f.Finding, f.Root, cancellationToken))))
            .ToEquatableArray();
    }

    static bool MayHaveReports(INamedTypeSymbol type)
    {
        var location = TypeParser.ParseLocation(type);
        if ((!location.IsPartial || location.IsGeneric) && TypeParser.HasPartialMembers(type)) return true;
        var attributes = type.GetAttributes().Concat(type.GetMembers().SelectMany(m => m.GetAttributes()));
        return attributes.Any(a => a.AttributeClass?.Name == "RepeatAttribute"
                                   || a.ConstructorArguments.Any(c => c.Kind == TypedConstantKind.Error)
                                   || a.NamedArguments.Any(n => n.Value.Kind == TypedConstantKind.Error || IsNotAMember(n.Value)));
    }

    // An enum argument cast from a number that names no member ((DpoLossType)7): C# accepts it, the parser cannot.
    static bool IsNotAMember(TypedConstant value) =>
        value.Kind == TypedConstantKind.Enum && value.Type is INamedTypeSymbol enumType
        && !enumType.GetMembers().OfType<IFieldSymbol>().Any(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value));
}
