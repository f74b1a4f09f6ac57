namespace ModelDsl.Generators.Specs;

/// <summary>Whether a class is a whole network or a block that networks repeat.</summary>
internal enum ClassRole
{
    Model,
    Module,
}

/// <summary>Where a class is declared and how the generated part must be written to match it.</summary>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">Enclosing type declarations, outermost first (e.g. <c>partial class Outer</c>).</param>
/// <param name="Name">The class name.</param>
/// <param name="FullyQualifiedName">The <c>global::</c> name, used to find blocks.</param>
/// <param name="IsPartial">Every declaration of the class (and its containers) is partial.</param>
/// <param name="IsGeneric">The class or a container has type parameters (not supported).</param>
/// <param name="HasBaseType">The user declared a base class (the generated part supplies it).</param>
internal sealed record TypeLocation(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string Name,
    string FullyQualifiedName,
    bool IsPartial,
    bool IsGeneric,
    bool HasBaseType)
{
    /// <summary>A file name that is stable and unique per class.</summary>
    public string HintName => FullyQualifiedName.Replace("global::", "").Replace('<', '{').Replace('>', '}') + ".g.cs";
}

/// <summary>The user's <c>Forward</c> method, when it has a shape the generated module can call.</summary>
/// <param name="ParameterTypes">Fully qualified parameter types (1 to 3).</param>
/// <param name="ParameterNames">The parameter names.</param>
/// <param name="ReturnType">Fully qualified return type.</param>
internal sealed record ForwardSignature(EquatableArray<string> ParameterTypes, EquatableArray<string> ParameterNames, string ReturnType);

/// <summary>A <c>[Model]</c> or <c>[Module]</c> class, as the generator needs it: names, numbers and nothing else.</summary>
internal sealed record ClassSpec(
    TypeLocation Type,
    ClassRole Role,
    ForwardSignature? Forward,
    bool DeclaresConstructor,
    EquatableArray<MemberSpec> Members);
