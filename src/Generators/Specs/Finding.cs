namespace ModelDsl.Generators.Specs;

/// <summary>
/// One thing wrong with a declaration, as data: the analyzers turn it into a diagnostic at a real source
/// location; the generator only needs to know that there is one.
/// </summary>
/// <param name="Id">The diagnostic ID (<c>MDSL0xx</c>).</param>
/// <param name="Message">What is wrong and what would be right.</param>
/// <param name="Member">The member it is about, or <see langword="null"/> for the class.</param>
/// <param name="Argument">The attribute argument it is about (constructor parameter or named property), if any.</param>
/// <param name="Attribute">The attribute it is about (short name, e.g. <c>LoRA</c>), when not the member's layer attribute.</param>
/// <param name="IsWarning">A warning: the declaration still generates.</param>
/// <param name="Element">The string in an array argument it is about (one entry of <c>Targets</c>), if any.</param>
/// <param name="Replacement">The value a code fix would write instead (the largest valid rank, the closest layer name), if any.</param>
internal sealed record Finding(string Id, string Message, string? Member = null, string? Argument = null, string? Attribute = null, bool IsWarning = false,
    string? Element = null, string? Replacement = null);
