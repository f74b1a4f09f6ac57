namespace ModelDsl.Generators.Tests.Fuzz;

/// <summary>What a case is known to be, by construction, independently of the validators.</summary>
internal enum Expectation
{
    /// <summary>A correct declaration: no MDSL error, and (for models) generated code that compiles.</summary>
    Valid,
    /// <summary>A complete declaration with a mistake: at least one MDSL error.</summary>
    Invalid,
    /// <summary>Broken or half-typed code, or a mistake no oracle here predicts: only "nothing crashes".</summary>
    Unknown,
}

/// <param name="Kind">What was generated (for the failure message).</param>
/// <param name="ExpectsGeneratedCode">Valid [Model]/family cases: the output must compile without errors.</param>
/// <param name="ConfigJson">For [FromConfig] cases: the text of the project's models/fuzz/config.json, or null for none.</param>
internal sealed record FuzzCase(string Kind, string Source, Expectation Expect, bool ExpectsGeneratedCode, string? ConfigJson = null)
{
    /// <summary>Where a [FromConfig] case's file is, in the project.</summary>
    public const string ConfigPath = "models/fuzz/config.json";

    public override string ToString() => $"{Kind} ({Expect}):\n{Source}" + (ConfigJson is null ? "" : $"\n--- {ConfigPath}:\n{ConfigJson}");
}

/// <summary>How a generated class is declared; anything but <see cref="Ok"/> is a mistake.</summary>
internal enum ClassShape
{
    Ok,
    NotPartial,
    Generic,
    WithBase,
    WithConstructor,
}

internal static class ClassShapes
{
    public static readonly CsCheck.Gen<ClassShape> Gen = CsCheck.Gen.Frequency(
        (12, CsCheck.Gen.Const(ClassShape.Ok)), (1, CsCheck.Gen.Const(ClassShape.NotPartial)), (1, CsCheck.Gen.Const(ClassShape.Generic)),
        (1, CsCheck.Gen.Const(ClassShape.WithBase)), (1, CsCheck.Gen.Const(ClassShape.WithConstructor)));

    /// <summary>The class declaration with <paramref name="body"/> (null: a body-less declaration).</summary>
    public static string Declare(ClassShape shape, string name, string? body)
    {
        string partial = shape == ClassShape.NotPartial ? "" : "partial ";
        string generic = shape == ClassShape.Generic ? "<T>" : "";
        string baseList = shape == ClassShape.WithBase ? " : FuzzBase" : "";
        string constructor = shape == ClassShape.WithConstructor ? $"    public {name}() {{ }}\n" : "";
        string extra = shape == ClassShape.WithBase ? "\npublic class FuzzBase { }\n" : "";
        if (body is null && constructor.Length == 0) return $"public {partial}class {name}{generic}{baseList};{extra}";
        return $"public {partial}class {name}{generic}{baseList}\n{{\n{constructor}{body}}}{extra}";
    }
}
