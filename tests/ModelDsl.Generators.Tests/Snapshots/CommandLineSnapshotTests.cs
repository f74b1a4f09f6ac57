using System.Collections.Generic;
using System.Linq;
using ApprovalTests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Snapshots;

public class CommandLineSnapshotTests
{
    static (GeneratorDriverRunResult Result, Compilation Output) Run(bool enabled, string declarations = Declarations.Setups)
    {
        var input = GeneratorHarness.Compile(declarations);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions,
            optionsProvider: new BuildProperties(new Dictionary<string, string> { ["ModelDslCommandLine"] = enabled ? "true" : "false" }));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        return (driver.GetRunResult(), output);
    }

    [Fact]
    public void EntryPointListsEveryLanguageModelAndSetup()
    {
        var (result, output) = Run(enabled: true);
        Approvals.Verify(GeneratorHarness.GeneratedText(result, "ModelDslProgram"));
        var problems = GeneratorHarness.Problems(output);
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Select(p => p.ToString())));
    }

    [Fact]
    public void ASetupThatDeclaresDpoHandsItsOptionsToTheCommandLine()
    {
        var (result, output) = Run(enabled: true, Declarations.PreferenceSetups);
        var program = GeneratorHarness.GeneratedText(result, "ModelDslProgram");
        Assert.Contains("{ Dpo = global::LlamaPreferences.DpoOptions },", program);
        Assert.Contains("{ Dpo = global::LlamaIpo.DpoOptions },", program);
        Assert.DoesNotContain("Dpo", program.Split('\n').Single(l => l.Contains("new(\"SmallLlama\"")));
        var problems = GeneratorHarness.Problems(output);
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Select(p => p.ToString())));
    }

    [Fact]
    public void NoEntryPointUnlessTheProjectAsks()
    {
        var (result, _) = Run(enabled: false);
        Assert.DoesNotContain(result.GeneratedTrees, t => t.FilePath.EndsWith("ModelDslProgram.g.cs"));
    }
}
