using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Tests.Support;

/// <summary>
/// Runs <see cref="ModelDslAnalyzer"/> over source with Microsoft.CodeAnalysis.Testing markup
/// (<c>{|#0:…|}</c> marks a location, <c>{|MDSL100:…|}</c> an expected diagnostic). References come from
/// Basic.Reference.Assemblies and the project's own assemblies, so nothing is downloaded while tests run.
/// </summary>
internal static class AnalyzerVerifier
{
    public static DiagnosticResult Diagnostic(string id) => new(DiagnosticDescriptors.ById[id]);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => VerifyWithFilesAsync(source, [], expected);

    /// <summary>As <see cref="VerifyAsync"/>, with AdditionalFiles in the project (path, text).</summary>
    public static Task VerifyWithFilesAsync(string source, (string Path, string Text)[] additionalFiles, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<ModelDslAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            // An empty set: the references below replace the package the framework would otherwise download.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            // Without the generator the declarations are incomplete (partial properties lack bodies); only MDSL counts here.
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            return solution.WithProjectParseOptions(projectId, ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.CSharp13));
        });
        foreach (var (path, text) in additionalFiles) test.TestState.AdditionalFiles.Add((path, text));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
