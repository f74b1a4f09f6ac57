using System.Collections.Generic;
using System.Linq;
using ModelDsl.Families;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Families.FromConfig;

/// <summary>
/// Reads the <c>config.json</c> a <c>[FromConfig]</c> class names into the family spec the family attribute would
/// give, with the runtime's rules (the shared <see cref="FamilyConfigReader"/>); or says, as a finding on the path,
/// why it cannot: the file is not in AdditionalFiles, is not JSON, names a family ModelDsl does not have, or has a field
/// ModelDsl would compute differently.
/// </summary>
internal static class FromConfigResolver
{
    const string Argument = "path";

    /// <summary>The spec of the declared model, or the finding that explains why there is none.</summary>
    public static (FamilySpec? Spec, Finding? Problem) Resolve(FromConfigSpec request, IReadOnlyList<ConfigFile> files)
    {
        if (request.Path is not { } path)
            return (null, new Finding(DiagnosticIds.IncompleteArguments,
                "The path of [FromConfig] must be a compile-time constant string, e.g. [FromConfig(\"models/qwen2.5-0.5b/config.json\")].",
                Argument: Argument, Attribute: "FromConfig"));
        var match = ConfigFile.Match(path, files.Select(f => f.Path));
        var file = match is null ? null : files.First(f => ConfigFile.Normalize(f.Path) == match);
        if (file is null)
            return (null, new Finding(DiagnosticIds.ConfigFileNotListed,
                $"\"{path}\" is not among the project's AdditionalFiles, so the generator cannot read it; add <AdditionalFiles Include=\"{path}\" /> to an <ItemGroup> of the project file (the path relative to the project).",
                Argument: Argument, Attribute: "FromConfig"));
        if (file.TooLarge)
            return (null, new Finding(DiagnosticIds.ConfigJsonMalformed,
                $"\"{path}\" is larger than {JsonParser.MaxLength / (1024 * 1024)} MB, which no config.json is; check that the path names the model's config.json.",
                Argument: Argument, Attribute: "FromConfig"));
        if (file.Text is null)
            return (null, new Finding(DiagnosticIds.ConfigJsonMalformed,
                $"\"{path}\" could not be read as text; check that the file exists and is UTF-8.", Argument: Argument, Attribute: "FromConfig"));
        var (root, error) = JsonParser.Parse(file.Text);
        if (error is not null)
            return (null, new Finding(DiagnosticIds.ConfigJsonMalformed,
                $"\"{path}\" is not valid JSON: {error}; fix the file (a config.json as save_pretrained writes it).", Argument: Argument, Attribute: "FromConfig"));
        var (shape, problem) = FamilyConfigReader.Read(root!);
        if (problem is not null)
        {
            var id = problem.Kind switch
            {
                ConfigProblemKind.UnsupportedModelType or ConfigProblemKind.OtherFamily => DiagnosticIds.UnsupportedModelType,
                ConfigProblemKind.NotAnObject => DiagnosticIds.ConfigJsonMalformed,
                _ => DiagnosticIds.UnsupportedConfigField,
            };
            return (null, new Finding(id, problem.Describe($"\"{path}\""), Argument: Argument, Attribute: "FromConfig"));
        }
        return (new FamilySpec(request.Type, request.DeclaresConstructor, shape!, EquatableArray<string>.Empty, false), null);
    }

    /// <summary>What the generator makes of a <c>[FromConfig]</c> class: its family spec, or why there is none.</summary>
    public static FromConfigResolution Resolution(FromConfigSpec request, IReadOnlyList<ConfigFile> files) =>
        Resolve(request, files).Spec is { } family
            ? new FromConfigResolution(request, family, null)
            : new FromConfigResolution(request, null, InvalidReason.FirstError(Validate(request, files)));

    /// <summary>Every finding of a <c>[FromConfig]</c> class: its declaration's and its file's.</summary>
    public static IReadOnlyList<Finding> Validate(FromConfigSpec request, IReadOnlyList<ConfigFile> files)
    {
        var findings = new List<Finding>();
        TypeRules.Check(request.Type, request.DeclaresConstructor, findings);
        if (Resolve(request, files).Problem is { } problem) findings.Add(problem);
        return findings;
    }
}
