using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
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
        var diagnostics = await ModelDslDiagnosticsAsync(Example(id, "wrong"), BuildProperties(id));
        Assert.True(diagnostics.Contains(id), $"The wrong example of {id} produced [{string.Join(", ", diagnostics)}] instead.");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task RightExampleProducesNoModelDslDiagnostic(string id) =>
        Assert.Empty(await ModelDslDiagnosticsAsync(Example(id, "right"), BuildProperties(id)));

    static async Task<string[]> ModelDslDiagnosticsAsync(string code, Dictionary<string, string> buildProperties)
    {
        var (diagnostics, exceptions) = await AnalyzerRunner.RunAsync(GeneratorHarness.Compile(code), buildProperties);
        Assert.Empty(exceptions);
        return diagnostics.Where(d => d.Id.StartsWith("MDSL", StringComparison.Ordinal)).Select(d => $"{d.Id}").ToArray();
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

    static string FindDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ModelDsl.sln")))
                return Path.Combine(dir.FullName, "docs", "diagnostics");
        throw new DirectoryNotFoundException("The repository root (ModelDsl.sln) is not above " + AppContext.BaseDirectory);
    }
}
