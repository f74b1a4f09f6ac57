using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Tests.Support;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>What a command-line build (<c>csc</c> inside <c>dotnet build</c>) reports for some code.</summary>
/// <param name="ModelDslErrors">The MDSL errors, from the generator and the analyzer.</param>
/// <param name="ModelDslWarnings">The MDSL warnings.</param>
/// <param name="CSharpErrors">The C# compiler's errors.</param>
internal sealed record BuildReport(string[] ModelDslErrors, string[] ModelDslWarnings, string[] CSharpErrors)
{
    /// <summary>
    /// Builds <paramref name="code"/> the way csc does: the generator first; then, when parsing or declarations have errors,
    /// csc stops — before method bodies and before any analyzer — so only those errors and the generator's own
    /// diagnostics are reported; otherwise everything, the analyzers included.
    /// </summary>
    public static async Task<BuildReport> OfAsync(string code, IReadOnlyDictionary<string, string>? buildProperties = null, params AdditionalText[] files)
    {
        buildProperties ??= new Dictionary<string, string>();
        var (result, output) = GeneratorHarness.Run(buildProperties, files, code);
        var stopping = output.GetParseDiagnostics().Concat(output.GetDeclarationDiagnostics()).Where(IsError).ToArray();
        if (stopping.Length > 0) return Report(result.Diagnostics, Ids(stopping));
        var (analyzer, exceptions) = await AnalyzerRunner.RunAsync(output, buildProperties, files);
        if (exceptions.Length > 0) throw new AggregateException(exceptions);
        return Report(result.Diagnostics.Concat(analyzer), Ids(output.GetDiagnostics().Where(IsError)));
    }

    static BuildReport Report(IEnumerable<Diagnostic> reported, string[] csharpErrors)
    {
        var modelDsl = reported.Where(d => d.Id.StartsWith("MDSL", StringComparison.Ordinal)).ToList();
        return new BuildReport(Ids(modelDsl.Where(IsError)), Ids(modelDsl.Where(d => d.Severity == DiagnosticSeverity.Warning)), csharpErrors);
    }

    static string[] Ids(IEnumerable<Diagnostic> diagnostics) => diagnostics.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToArray();

    static bool IsError(Diagnostic d) => d.Severity == DiagnosticSeverity.Error;
}
