using System.Collections.Generic;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Common;

/// <summary>What every class the generator completes must be: partial, non-generic, with no base class or constructor of its own.</summary>
internal static class TypeRules
{
    /// <summary>
    /// The problems that rule out any generated part (not partial, generic). For a class with partial members these are
    /// reported by the generator: C# stops with CS0751/CS8795/CS9248 before analyzers run, so the analyzer's report would
    /// never be seen.
    /// </summary>
    public static List<Finding> Blocking(TypeLocation type)
    {
        var findings = new List<Finding>();
        if (!type.IsPartial)
            findings.Add(new Finding(DiagnosticIds.NotPartial,
                $"'{type.Name}' must be declared 'partial' (and so must every type that contains it) so that ModelDsl can generate the rest of it."));
        if (type.IsGeneric)
            findings.Add(new Finding(DiagnosticIds.GenericNotSupported,
                $"'{type.Name}' must not be generic or nested in a generic type; ModelDsl generates concrete modules."));
        return findings;
    }

    /// <summary>Whether the generator, not the analyzer, reports finding <paramref name="id"/> for a class with partial members.</summary>
    public static bool IsBlocking(string id) => id is DiagnosticIds.NotPartial or DiagnosticIds.GenericNotSupported;

    public static void Check(TypeLocation type, bool declaresConstructor, List<Finding> findings)
    {
        findings.AddRange(Blocking(type));
        if (type.HasBaseType)
            findings.Add(new Finding(DiagnosticIds.HasBaseType,
                $"'{type.Name}' must not declare a base class; the generated part supplies it."));
        if (declaresConstructor)
            findings.Add(new Finding(DiagnosticIds.DeclaresConstructor,
                $"'{type.Name}' must not declare a constructor; the generated constructor builds and registers the layers."));
    }
}
