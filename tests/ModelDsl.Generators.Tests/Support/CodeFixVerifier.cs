using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Tests.Support;

/// <summary>Applies a code fix to source with markup and compares the result, configured as <see cref="AnalyzerVerifier"/> is.</summary>
internal static class CodeFixVerifier<TFix> where TFix : CodeFixProvider, new()
{
    /// <param name="source">Before, with the fixed diagnostics marked.</param>
    /// <param name="fixedSource">After, with any diagnostic that remains marked.</param>
    public static Task VerifyAsync(string source, DiagnosticResult[] expected, string fixedSource, params DiagnosticResult[] expectedAfter)
    {
        var test = new CSharpCodeFixTest<ModelDslAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.FixedState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var project = solution.GetProject(projectId)!;
            return solution.WithProjectParseOptions(projectId, ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.CSharp13));
        });
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.ExpectedDiagnostics.AddRange(expectedAfter);
        return test.RunAsync();
    }
}
