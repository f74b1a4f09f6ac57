using System;
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

    static readonly string Directory = FindDocs();

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
    [MemberData(nameof(Ids))]
    public async Task WrongExampleProducesTheId(string id)
    {
        var diagnostics = await ModelDslDiagnosticsAsync(Example(id, "wrong"), Files(id, "wrong"));
        Assert.True(diagnostics.Contains(id), $"The wrong example of {id} produced [{string.Join(", ", diagnostics)}] instead.");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task RightExampleProducesNoModelDslDiagnostic(string id) =>
        Assert.Empty(await ModelDslDiagnosticsAsync(Example(id, "right"), Files(id, "right")));

    static async Task<string[]> ModelDslDiagnosticsAsync(string code, AdditionalText[] files)
    {
        var (diagnostics, exceptions) = await AnalyzerRunner.RunAsync(GeneratorHarness.Compile(code), files);
        Assert.Empty(exceptions);
        return diagnostics.Where(d => d.Id.StartsWith("MDSL", StringComparison.Ordinal)).Select(d => $"{d.Id}").ToArray();
    }

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

    static string FindDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln")))
                return Path.Combine(dir.FullName, "docs", "diagnostics");
        throw new DirectoryNotFoundException("The repository root (ModelDsl.sln) is not above " + AppContext.BaseDirectory);
    }
}
