using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Common;

/// <summary>
/// When a generated part can be written for an invalid declaration. A stub keeps the declaration's public shape so that
/// code using it still compiles (the C# compiler stops before analyzers run when a partial member has no implementation,
/// which would hide the MDSL error); it cannot be written where the class itself rules out a generated part.
/// </summary>
internal static class Stubs
{
    /// <summary>A partial, non-generic class can take a generated part (a non-partial one cannot have two parts).</summary>
    public static bool CanEmit(TypeLocation type) => type.IsPartial && !type.IsGeneric;

    /// <summary>
    /// The base clause of a stub: none when the user declared a base class of their own (MDSL003) or a constructor
    /// (MDSL004: it would call a parameterless base constructor that the runtime's bases do not have).
    /// </summary>
    public static string BaseClause(TypeLocation type, bool declaresConstructor, string baseType) =>
        type.HasBaseType || declaresConstructor ? "" : " : " + baseType;
}
