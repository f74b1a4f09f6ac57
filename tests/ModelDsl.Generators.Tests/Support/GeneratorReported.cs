using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace ModelDsl.Generators.Tests.Support;

/// <summary>
/// Checks a diagnostic the generator reports itself (where C# would stop before analyzers run): exactly one, with this
/// ID and message, on <paramref name="spanText"/>, and not reported a second time by the analyzer.
/// </summary>
internal static class GeneratorReported
{
    public static async Task AssertAsync(string source, string id, string message, string spanText)
    {
        var (result, _) = GeneratorHarness.Run(source);
        var reported = Assert.Single(result.Diagnostics);
        Assert.Equal(id, reported.Id);
        Assert.Equal(message, reported.GetMessage(CultureInfo.InvariantCulture));
        // A generator reports positions as data (no syntax tree in its pipeline): compare the text they cover.
        Assert.Equal(spanText, source.Substring(reported.Location.SourceSpan.Start, reported.Location.SourceSpan.Length));
        int line = source[..reported.Location.SourceSpan.Start].Count(c => c == '\n');
        Assert.Equal(line, reported.Location.GetLineSpan().StartLinePosition.Line);
        Assert.DoesNotContain(await AnalyzerRunner.AfterGenerationAsync(source), d => d.Id == id);
    }
}
