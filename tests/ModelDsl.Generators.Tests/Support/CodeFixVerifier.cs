using System;
using System.Collections.Generic;
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
    sealed class Test(bool withGenerator) : CSharpCodeFixTest<ModelDslAnalyzer, TFix, DefaultVerifier>
    {
        protected override IEnumerable<Type> GetSourceGenerators() => withGenerator ? [typeof(ModelGenerator)] : [];
    }

    /// <param name="source">Before, with the fixed diagnostics marked.</param>
    /// <param name="fixedSource">After, with any diagnostic that remains marked.</param>
    public static Task VerifyAsync(string source, DiagnosticResult[] expected, string fixedSource, params DiagnosticResult[] expectedAfter) =>
        RunAsync(withGenerator: false, source, expected, fixedSource, expectedAfter);

    /// <summary>
    /// As the IDE does: the project runs <see cref="ModelGenerator"/> too, so the analyzer and the fix see the generated
    /// members, and every C# error before and after the fix must be listed among the expected diagnostics (none is, so
    /// both versions compile).
    /// </summary>
    public static Task VerifyWithGeneratorAsync(string source, DiagnosticResult[] expected, string fixedSource, params DiagnosticResult[] expectedAfter) =>
        RunAsync(withGenerator: true, source, expected, fixedSource, expectedAfter);

    static Task RunAsync(bool withGenerator, string source, DiagnosticResult[] expected, string fixedSource, DiagnosticResult[] expectedAfter)
    {
        var test = new Test(withGenerator)
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            // With the generated half the declarations are complete: any C# error is a failure unless expected.
            CompilerDiagnostics = withGenerator ? CompilerDiagnostics.Errors : CompilerDiagnostics.None,
            // The generated text is checked by the snapshot tests; here only that it is there and compiles.
            TestBehaviors = withGenerator ? TestBehaviors.SkipGeneratedSourcesCheck : TestBehaviors.None,
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
