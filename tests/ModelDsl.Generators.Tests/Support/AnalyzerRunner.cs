using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Tests.Support;

/// <summary>Runs <see cref="ModelDslAnalyzer"/> over a compilation as a build does, capturing any exception it throws.</summary>
internal static class AnalyzerRunner
{
    public static Task<(ImmutableArray<Diagnostic> Diagnostics, Exception[] Exceptions)> RunAsync(Compilation compilation,
        params AdditionalText[] additionalFiles) =>
        RunAsync(compilation, null, additionalFiles);

    /// <summary>Runs the analyzer with these MSBuild properties (<c>build_property.Name</c>) and project files.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Diagnostics, Exception[] Exceptions)> RunAsync(Compilation compilation,
        IReadOnlyDictionary<string, string>? buildProperties, params AdditionalText[] additionalFiles)
    {
        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(additionalFiles.ToImmutableArray<AdditionalText>(), new BuildProperties(buildProperties ?? new Dictionary<string, string>())),
            onAnalyzerException: (exception, _, _) => exceptions.Enqueue(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ModelDslAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync();
        return (diagnostics, exceptions.ToArray());
    }

    /// <summary>The generator's run over <paramref name="sources"/>, then the analyzer over the result: what a build reports.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AfterGenerationAsync(params string[] sources)
    {
        var (_, output) = GeneratorHarness.Run(sources);
        var (diagnostics, exceptions) = await RunAsync(output);
        if (exceptions.Length > 0) throw new AggregateException(exceptions);
        return diagnostics.Where(d => d.Id.StartsWith("MDSL", StringComparison.Ordinal)).ToImmutableArray();
    }
}
