using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Tests.Examples;
using ModelDsl.Tests.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Packaging;

/// <summary>
/// A mistake in a declaration, in code that also uses the declared type, shows its own MDSL error — and nothing else —
/// in a real <c>dotnet build</c> of a project that references the package. Each case is a file of one project, so the
/// build also proves that no case's generated code breaks another's.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class RealBuildDiagnosticsTests(LocalPackageFeed package, ITestOutputHelper output)
{
    const string Model = """
        [Gpt2(Layers = 1, Dim = 32, Heads = 4, Vocab = 64, Context = 16)]
        public partial class Small;
        """;

    /// <summary>The mistakes users met (issue 21's table), each with the code that uses it.</summary>
    static readonly (string Name, string Code, string[] Expected)[] UserCases =
    [
        ("PlaceholderTypo", Model + """
            [InferenceClient<Small>]
            public partial class Client
            {
                [Prompt("Q: {questoin}\nA:")] public partial string Ask(string question);
            }
            public static class Use { public static string Run(Small m, Microsoft.ML.Tokenizers.Tokenizer t) => new Client(m, t).Ask("x"); }
            """, ["MDSL200"]),
        ("UnclosedPlaceholder", Model + """
            [InferenceClient<Small>]
            public partial class Client
            {
                [Prompt("Q: {question\nA:")] public partial string Ask(string question);
            }
            public static class Use { public static string Run(Small m, Microsoft.ML.Tokenizers.Tokenizer t) => new Client(m, t).Ask("x"); }
            """, ["MDSL208"]),
        ("NoNewTokens", Model + """
            [InferenceClient<Small>]
            public partial class Client
            {
                [Prompt("Q: {question}\nA:", MaxNewTokens = 0)] public partial string Ask(string question);
            }
            public static class Use { public static string Run(Small m, Microsoft.ML.Tokenizers.Tokenizer t) => new Client(m, t).Ask("x"); }
            """, ["MDSL206"]),
        ("HeadsDoNotDivide", """
            [Gpt2(Dim = 30, Heads = 4)]
            public partial class Odd;
            public static class Use { public static long Run() { using var m = new Odd(); return Odd.ParameterCount; } }
            """, ["MDSL008"]),
        ("RankTooLarge", Model + """
            [FineTune<Small>, LoRA(64)]
            public partial class BigRank;
            public static class Use { public static string Run(Small m) => new BigRank(m).Summary(); }
            """, ["MDSL101"]),
        ("TargetTypo", Model + """
            [FineTune<Small>, LoRA(4, Targets = ["c_atn"])]
            public partial class StoryLora;
            public static class Use { public static string Run(Small m) => new StoryLora(m).Summary(); }
            """, ["MDSL105"]),
    ];

    [Fact]
    public void Every_mistake_with_code_using_it_builds_to_its_own_MDSL_errors_and_no_CSharp_error()
    {
        var pages = CataloguePages().Where(p => p.AlsoCSharp.Length == 0 && p.MsBuild.Count == 0).ToList();
        var cases = UserCases
            .Select(c => (c.Name, c.Code, c.Expected, IsWarning: false))
            .Concat(pages.Select(p => (Name: p.Id, p.Code, Expected: new[] { p.Id }, p.IsWarning)))
            .ToList();
        Assert.Contains(cases, c => c.IsWarning);
        var build = Build("clean", cases.Select(c => (c.Name, c.Code)), pages.SelectMany(p => p.Files));

        Assert.True(build.CSharpErrors.Count == 0, "C# errors:\n" + string.Join("\n", build.CSharpErrors));
        foreach (var (name, _, expected, isWarning) in cases)
        {
            // A warning's page shows its own warning and no MDSL error (the build fails only on the other cases' errors).
            var errors = build.ModelDslErrors.GetValueOrDefault(name, []);
            Assert.True(isWarning ? errors.Count == 0 : errors.Order().SequenceEqual(expected.Order()),
                $"{name}: the build reported errors [{string.Join(", ", errors)}], expected [{string.Join(", ", isWarning ? [] : expected)}].");
            if (isWarning)
            {
                var warnings = build.ModelDslWarnings.GetValueOrDefault(name, []);
                Assert.True(warnings.Order().SequenceEqual(expected.Order()),
                    $"{name}: the build reported warnings [{string.Join(", ", warnings)}], expected [{string.Join(", ", expected)}].");
            }
        }
    }

    [Fact]
    public void Mistakes_that_are_CSharp_errors_too_still_show_their_MDSL_explanation()
    {
        // Here C# itself stops at a declaration error (its own rules, which no generator can lift), before any analyzer
        // runs; the generator reports the MDSL error so that the explanation is there beside the C# one. A client that is
        // not partial is one: C# refuses its partial methods (CS0751) and, having no generated part, their missing
        // implementation (CS8795). The code that calls it adds no error of its own.
        var cases = CataloguePages().Where(p => p.AlsoCSharp.Length > 0 && p.MsBuild.Count == 0)
            .Select(p => (Name: p.Id, p.Code, Expected: new[] { p.Id }, p.AlsoCSharp))
            .Append((Name: "NonPartialClient", Code: Model + """
                [InferenceClient<Small>]
                public class Client
                {
                    [Prompt("Q: {question}\nA:")] public partial string Ask(string question);
                }
                public static class Use { public static string Run() => new Client().Ask("x"); }
                """, Expected: new[] { "MDSL001" }, AlsoCSharp: new[] { "CS0751", "CS8795" }))
            .ToList();
        var build = Build("stopping", cases.Select(c => (c.Name, c.Code)));

        foreach (var (name, _, expected, alsoCSharp) in cases)
        {
            Assert.Equal(expected, build.ModelDslErrors.GetValueOrDefault(name, []).Order());
            Assert.Equal(alsoCSharp.Order(), build.CSharpErrorIdsByFile.GetValueOrDefault(name, []).Order());
        }
    }

    [Fact]
    public void Pages_that_need_a_project_setting_build_with_it_to_their_own_MDSL_error_and_no_CSharp_error()
    {
        // MDSL240 needs ModelDslCommandLine=true in an application, so it gets a build of its own. Its second Main would
        // also be C#'s CS0017 if the generator wrote its Main beside it; it does not.
        var pages = CataloguePages().Where(p => p.MsBuild.Count > 0).ToList();
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            var build = Build(page.Id, [(page.Id, page.Code)], page.Files, outputType: "Exe", page.MsBuild);
            Assert.True(build.CSharpErrors.Count == 0, $"{page.Id}: C# errors:\n" + string.Join("\n", build.CSharpErrors));
            Assert.Equal([page.Id], build.ModelDslErrors.GetValueOrDefault(page.Id, []));
        }
    }

    sealed record BuildResult(Dictionary<string, List<string>> ModelDslErrors, Dictionary<string, List<string>> ModelDslWarnings,
        Dictionary<string, List<string>> CSharpErrorIdsByFile, List<string> CSharpErrors);

    // One project (a library unless said otherwise), each case in its own file and namespace; the diagnostics are read
    // back per file. Project files ([FromConfig]'s config.json) go under files/ and are listed as AdditionalFiles, as a
    // user's would be.
    BuildResult Build(string name, IEnumerable<(string Name, string Code)> cases, IEnumerable<(string Path, string Text)>? files = null,
        string outputType = "Library", IReadOnlyDictionary<string, string>? properties = null)
    {
        var folder = package.NewFolder(name);
        package.WriteConsumer(folder, outputType, additionalFiles: "files/**/*.json", properties);
        foreach (var (caseName, code) in cases) File.WriteAllText(Path.Combine(folder, caseName + ".cs"), InNamespace(code, caseName));
        foreach (var (path, text) in files ?? [])
        {
            var full = Path.Combine(folder, "files", path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        var result = DotnetCommand.Run("build", folder, TimeSpan.FromMinutes(5));
        output.WriteLine($"$ dotnet build ({name}) → {result.ExitCode}\n{result.Stdout}");
        Assert.NotEqual(0, result.ExitCode);
        // A generator or analyzer that crashed (CS8785, AD0001) may be reported without a source location
        // ("CSC : warning CS8785: …"), so the whole output is searched, not only the lines read below.
        var crashes = Regex.Matches(result.Stdout + "\n" + result.Stderr, @"^.*\b(?:CS8785|AD0001)\b.*$", RegexOptions.Multiline);
        Assert.True(crashes.Count == 0, "The generator or an analyzer crashed:\n" + string.Join("\n", crashes.Select(m => m.Value).Distinct()));

        var modelDslErrors = new Dictionary<string, List<string>>();
        var modelDslWarnings = new Dictionary<string, List<string>>();
        var csharp = new Dictionary<string, List<string>>();
        var csharpLines = new List<string>();
        var pattern = @"^(?<file>[^\s(][^(]*)\(\d+,\d+\): (?<severity>error|warning) (?<id>[A-Z]+\d+): [^\n]*";
        foreach (Match m in Regex.Matches(result.Stdout, pattern, RegexOptions.Multiline))
        {
            var file = Path.GetFileNameWithoutExtension(m.Groups["file"].Value.Trim());
            var id = m.Groups["id"].Value;
            bool isModelDsl = id.StartsWith("MDSL", StringComparison.Ordinal), isError = m.Groups["severity"].Value == "error";
            var into = isModelDsl ? (isError ? modelDslErrors : modelDslWarnings) : isError ? csharp : null;
            if (into is null) continue;   // C#'s own warnings (nullable and the like) are not what these tests are about
            if (!into.TryGetValue(file, out var ids)) into[file] = ids = [];
            if (!ids.Contains(id)) ids.Add(id);
            if (!isModelDsl) csharpLines.Add(m.Value);
        }
        return new BuildResult(modelDslErrors, modelDslWarnings, csharp, csharpLines.Distinct().ToList());
    }

    // Usings stay first; the rest goes into a namespace of the case's own, so that cases may reuse class names.
    static string InNamespace(string code, string caseName)
    {
        var lines = code.Replace("\r\n", "\n").Split('\n');
        var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Length == 0).ToList();
        var rest = lines.Skip(usings.Count);
        return "using ModelDsl;\n" + string.Join("\n", usings) + $"\nnamespace Case_{caseName};\n" + string.Join("\n", rest) + "\n";
    }

    sealed record CataloguePage(string Id, string Code, string[] AlsoCSharp, (string Path, string Text)[] Files, bool IsWarning,
        IReadOnlyDictionary<string, string> MsBuild);

    // Every "wrong" example of docs/diagnostics (with the usage line each page shows), and the C# errors a page says come too.
    static IEnumerable<CataloguePage> CataloguePages()
    {
        var folder = Path.Combine(RepositoryRoot.Path, "docs", "diagnostics");
        foreach (var file in Directory.GetFiles(folder, "MDSL*.md").Order())
        {
            var page = File.ReadAllText(file).Replace("\r\n", "\n");
            var wrong = Regex.Match(page, @"<!-- wrong -->\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline);
            if (!wrong.Success) continue;   // MDSL039, the generator's own failure, has no wrong example
            // The project settings a page needs (MDSL240: <!-- msbuild: ModelDslCommandLine=true -->).
            var msBuild = Regex.Matches(page, @"<!-- msbuild: (?<name>\w+)=(?<value>[^ ]+) -->")
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
            var also = Regex.Match(page, @"C# reports too: ((?:CS\d{4}(?:, )?)+)\.").Groups[1].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries);
            // The page's project files, each moved under a folder of the page's own (pages reuse "models/tiny/config.json").
            var id = Path.GetFileNameWithoutExtension(file);
            var code = wrong.Groups["code"].Value;
            var files = Regex.Matches(page, @"<!-- wrong file: (?<path>[^ ]+) -->\n```json\n(?<json>.*?)\n```", RegexOptions.Singleline)
                .Select(m => (Path: $"{id}/{m.Groups["path"].Value}", Text: m.Groups["json"].Value)).ToArray();
            foreach (var path in Regex.Matches(code, @"\[FromConfig\(""(?<path>[^""]+)""\)\]").Select(m => m.Groups["path"].Value).Distinct())
                code = code.Replace($"\"{path}\"", $"\"{id}/{path}\"");
            yield return new CataloguePage(id, code, also, files, page.Contains("\nSeverity: Warning", StringComparison.Ordinal), msBuild);
        }
    }
}
