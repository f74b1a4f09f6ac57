using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>
/// docs/diagnostics has a page for every descriptor, each descriptor links to its page, and the page's examples are true:
/// the wrong one produces the ID, the right one produces no ModelDsl diagnostic at all.
/// </summary>
public class DiagnosticsCatalogueTests
{
    public static TheoryData<string> Ids => new(DiagnosticDescriptors.Supported.Select(d => d.Id));

    /// <summary>Every ID a declaration can provoke: all but MDSL039, the generator's report of its own internal error.</summary>
    public static TheoryData<string> MistakeIds => new(DiagnosticDescriptors.Supported.Select(d => d.Id).Where(id => id != DiagnosticDescriptors.GeneratorFailed.Id));

    static readonly string Directory = Path.Combine(Support.RepositoryRoot.Path, "docs", "diagnostics");

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLinkPointsAtThePage(string id)
    {
        Assert.EndsWith($"docs/diagnostics/{id}.md", DiagnosticDescriptors.ById[id].HelpLinkUri);
        Assert.True(File.Exists(Path.Combine(Directory, id + ".md")), $"docs/diagnostics/{id}.md is missing");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void PageHeadingAndIndexMatchTheDescriptor(string id)
    {
        var descriptor = DiagnosticDescriptors.ById[id];
        var page = File.ReadAllText(Path.Combine(Directory, id + ".md"));
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", page.Replace("\r\n", "\n"));
        Assert.Contains($"Severity: {descriptor.DefaultSeverity}", page);
        var index = File.ReadAllText(Path.Combine(Directory, "README.md"));
        Assert.Contains($"| [{id}]({id}.md) | {descriptor.DefaultSeverity} | {descriptor.Title} |", index);
    }

    [Theory]
    [MemberData(nameof(MistakeIds))]
    public async Task WrongExampleProducesTheId(string id)
    {
        var diagnostics = await ModelDslDiagnosticsAsync(Example(id, "wrong"), BuildProperties(id), Files(id, "wrong"));
        Assert.True(diagnostics.Contains(id), $"The wrong example of {id} produced [{string.Join(", ", diagnostics)}] instead.");
    }

    [Theory]
    [MemberData(nameof(MistakeIds))]
    public async Task WrongExampleWithCodeUsingItBuildsToItsIdAndNoCSharpError(string id)
    {
        var example = Example(id, "wrong");
        Assert.Contains("public static class Usage", example);
        var report = await BuildReport.OfAsync(example, BuildProperties(id), Files(id, "wrong"));
        // A few mistakes are C# errors as well (a non-constant attribute argument); their pages say which.
        var alsoCSharp = Regex.Match(File.ReadAllText(Path.Combine(Directory, id + ".md")), @"C# reports too: ((?:CS\d{4}(?:, )?)+)\.")
            .Groups[1].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(report.CSharpErrors.OrderBy(e => e).SequenceEqual(alsoCSharp.OrderBy(e => e)),
            $"The wrong example of {id} with its usage gave C# errors [{string.Join(", ", report.CSharpErrors)}], expected [{string.Join(", ", alsoCSharp)}].");
        var severity = DiagnosticDescriptors.ById[id].DefaultSeverity;
        Assert.Equal(severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error ? [id] : [], report.ModelDslErrors);
        if (severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning) Assert.Contains(id, report.ModelDslWarnings);
    }

    [Theory]
    [MemberData(nameof(MistakeIds))]
    public async Task RightExampleProducesNoModelDslDiagnostic(string id) =>
        Assert.Empty(await ModelDslDiagnosticsAsync(Example(id, "right"), BuildProperties(id), Files(id, "right")));

    // What a build reports: the generator's own diagnostics and the analyzer's over the generated compilation.
    static async Task<string[]> ModelDslDiagnosticsAsync(string code, Dictionary<string, string> buildProperties, AdditionalText[] files)
    {
        var (result, output) = GeneratorHarness.Run(buildProperties, files, code);
        var (diagnostics, exceptions) = await AnalyzerRunner.RunAsync(output, buildProperties, files);
        Assert.Empty(exceptions);
        return result.Diagnostics.Concat(diagnostics).Where(d => d.Id.StartsWith("MDSL", StringComparison.Ordinal)).Select(d => d.Id).ToArray();
    }

    // MSBuild properties a page's examples are built with: <!-- msbuild: Name=Value --> lines.
    static Dictionary<string, string> BuildProperties(string id) =>
        Regex.Matches(File.ReadAllText(Path.Combine(Directory, id + ".md")), @"<!-- msbuild: (?<name>\w+)=(?<value>[^ ]*) -->")
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);

    // The fenced csharp block that follows the <!-- wrong --> or <!-- right --> marker.
    static string Example(string id, string kind)
    {
        var page = File.ReadAllText(Path.Combine(Directory, id + ".md")).Replace("\r\n", "\n");
        var match = Regex.Match(page, $@"<!-- {kind} -->\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline);
        Assert.True(match.Success, $"docs/diagnostics/{id}.md has no '<!-- {kind} -->' csharp block");
        return match.Groups["code"].Value;
    }

    // The project files an example comes with: a json block after "<!-- wrong file: path -->" (a [FromConfig] config.json).
    static AdditionalText[] Files(string id, string kind)
    {
        var page = File.ReadAllText(Path.Combine(Directory, id + ".md")).Replace("\r\n", "\n");
        return Regex.Matches(page, $@"<!-- {kind} file: (?<path>[^ ]+) -->\n```json\n(?<json>.*?)\n```", RegexOptions.Singleline)
            .Select(m => (AdditionalText)new InMemoryAdditionalText("/project/" + m.Groups["path"].Value, m.Groups["json"].Value))
            .ToArray();
    }

}
