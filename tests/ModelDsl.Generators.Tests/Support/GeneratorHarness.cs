using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Generators.Tests.Support;

/// <summary>Runs <see cref="ModelGenerator"/> over source text, against the real Dsl, runtime and TorchSharp assemblies.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp13);

    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ModelDsl.ModelAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ModelDsl.Layers.Linear).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly.Location),
    ];

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratorTestInput",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Input{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // As the .NET SDK does for every project: TorchSharp targets net8.0 and its references unify with net10.0's.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    public static GeneratorDriver NewDriver(bool trackSteps = false, params AdditionalText[] additionalFiles) =>
        CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator()],
            additionalTexts: additionalFiles,
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once over <paramref name="sources"/> with <paramref name="additionalFiles"/> in the project.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) RunWithFiles(AdditionalText[] additionalFiles, params string[] sources) =>
        Run(new Dictionary<string, string>(), additionalFiles, sources);

    /// <summary>Runs the generator once; returns its result and the compilation that includes its output.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources) =>
        Run(new Dictionary<string, string>(), sources);

    /// <summary>Runs the generator once with these MSBuild properties (<c>build_property.Name</c>).</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(IReadOnlyDictionary<string, string> buildProperties, params string[] sources) =>
        Run(buildProperties, [], sources);

    /// <summary>Runs the generator once with these MSBuild properties and project files (AdditionalFiles).</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(IReadOnlyDictionary<string, string> buildProperties,
        AdditionalText[] additionalFiles, params string[] sources)
    {
        var input = Compile(sources);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator()], additionalTexts: additionalFiles, parseOptions: ParseOptions,
            optionsProvider: new BuildProperties(buildProperties));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>
    /// The generated file whose hint name contains <paramref name="typeName"/>, with the package version in
    /// <c>[GeneratedCode]</c> written as <c>{version}</c> so that snapshots survive a release (a test checks the real one).
    /// </summary>
    public static string GeneratedText(GeneratorDriverRunResult result, string typeName) =>
        RawGeneratedText(result, typeName).Replace($"(\"ModelDsl.Generators\", \"{PackageVersion}\")", "(\"ModelDsl.Generators\", \"{version}\")");

    /// <summary>The generated file whose hint name contains <paramref name="typeName"/>, as generated.</summary>
    public static string RawGeneratedText(GeneratorDriverRunResult result, string typeName) =>
        result.GeneratedTrees.Single(t => t.FilePath.EndsWith(typeName + ".g.cs")).GetText().ToString();

    /// <summary>The package version, as Directory.Build.props sets it for every project.</summary>
    public static string PackageVersion { get; } = System.Text.RegularExpressions.Regex.Match(
        System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;

    /// <summary>Errors and warnings of a compilation, excluding the ones any test input may have on purpose.</summary>
    public static ImmutableArray<Diagnostic> Problems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
}
