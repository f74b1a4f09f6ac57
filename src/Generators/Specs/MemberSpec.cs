namespace ModelDsl.Generators.Specs;

/// <summary>A property or field that carries a layer attribute.</summary>
/// <param name="Name">The C# member name.</param>
/// <param name="IsProperty">Property (implemented by the generator) or field (assigned in the constructor).</param>
/// <param name="Modifiers">The declaration's modifiers, minus <c>partial</c>, as written (e.g. <c>public</c>).</param>
/// <param name="DeclaredType">The member's type, fully qualified (<c>global::…</c>).</param>
/// <param name="IsImplementable">For a property: partial, get-only, not yet implemented. Always true for a field.</param>
/// <param name="Layer">What the attribute declared.</param>
/// <param name="IsAccessible">Public or internal, so generated setups in the same assembly can reach it.</param>
internal sealed record MemberSpec(
    string Name,
    bool IsProperty,
    string Modifiers,
    string DeclaredType,
    bool IsImplementable,
    LayerSpec Layer,
    bool IsAccessible)
{
    /// <summary>The state-dict name: the attribute's <c>Name</c>, else the member name in snake_case.</summary>
    public string StateName => Layer.ExplicitName ?? Text.Naming.ToSnakeCase(Name);
}
