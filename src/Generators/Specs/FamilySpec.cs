using ModelDsl.Families;

namespace ModelDsl.Generators.Specs;

/// <summary>
/// A family declaration — <c>[Gpt2]</c>, <c>[Llama]</c>, <c>[Mistral]</c>, <c>[Qwen2]</c>, <c>[Qwen3]</c>, <c>[Phi3]</c>,
/// <c>[Gemma]</c>, or <c>[FromConfig]</c> once its file is read — as the shared family shape, defaults filled in.
/// </summary>
/// <param name="Type">The declared class.</param>
/// <param name="DeclaresConstructor">The user wrote a constructor (not allowed).</param>
/// <param name="Shape">Sizes and settings, as the shared rules and the runtime see them.</param>
/// <param name="Written">The attribute arguments the user wrote (empty for <c>[FromConfig]</c>).</param>
/// <param name="UnknownRopeScaling">RopeScaling was given a value that is not a member of the enum.</param>
internal sealed record FamilySpec(TypeLocation Type, bool DeclaresConstructor, FamilyShape Shape, EquatableArray<string> Written, bool UnknownRopeScaling)
{
    /// <summary>Parameters of the model (a tied head counted once); meaningful for a valid shape.</summary>
    public long ParameterCount => FamilyModules.ParameterCount(Shape);
}

/// <summary>A <c>[FromConfig("…/config.json")]</c> declaration, before its file is read.</summary>
/// <param name="Type">The declared class.</param>
/// <param name="DeclaresConstructor">The user wrote a constructor (not allowed).</param>
/// <param name="Path">The path as written, or <see langword="null"/> when it is not a constant string.</param>
internal sealed record FromConfigSpec(TypeLocation Type, bool DeclaresConstructor, string? Path);

/// <summary>A <c>[FromConfig]</c> class once its file is read.</summary>
/// <param name="Request">The declaration.</param>
/// <param name="Family">The family the file describes, or <see langword="null"/> when it cannot be read as one.</param>
/// <param name="Problem">Why there is no family (the first error about the declaration or its file).</param>
internal sealed record FromConfigResolution(FromConfigSpec Request, FamilySpec? Family, InvalidReason? Problem);
