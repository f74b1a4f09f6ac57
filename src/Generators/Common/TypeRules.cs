using System.Collections.Generic;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Common;

/// <summary>What every class the generator completes must be: partial, non-generic, with no base class or constructor of its own.</summary>
internal static class TypeRules
{
    public static void Check(TypeLocation type, bool declaresConstructor, List<Finding> findings)
    {
        if (!type.IsPartial)
            findings.Add(new Finding(DiagnosticIds.NotPartial,
                $"'{type.Name}' must be declared 'partial' (and so must every type that contains it) so that ModelDsl can generate the rest of it."));
        if (type.IsGeneric)
            findings.Add(new Finding(DiagnosticIds.GenericNotSupported,
                $"'{type.Name}' must not be generic or nested in a generic type; ModelDsl generates concrete modules."));
        if (type.HasBaseType)
            findings.Add(new Finding(DiagnosticIds.HasBaseType,
                $"'{type.Name}' must not declare a base class; the generated part supplies it."));
        if (declaresConstructor)
            findings.Add(new Finding(DiagnosticIds.DeclaresConstructor,
                $"'{type.Name}' must not declare a constructor; the generated constructor builds and registers the layers."));
    }
}
