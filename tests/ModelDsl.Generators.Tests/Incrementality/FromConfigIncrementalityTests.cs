using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Incrementality;

/// <summary>
/// [FromConfig] reads AdditionalFiles without costing the editor anything: an unrelated C# edit or an unrelated JSON file
/// leaves every step cached; editing the config.json re-runs only the steps that depend on it.
/// </summary>
public class FromConfigIncrementalityTests
{
    static readonly string[] TrackedSteps =
    [
        GeneratorStepNames.ConfigFiles, GeneratorStepNames.FromConfigRequests, GeneratorStepNames.FromConfigSpecs, GeneratorStepNames.FromConfigSources,
        GeneratorStepNames.Gpt2Specs, GeneratorStepNames.Gpt2Sources, GeneratorStepNames.LlamaSpecs, GeneratorStepNames.LlamaSources,
        GeneratorStepNames.MistralSpecs, GeneratorStepNames.MistralSources, GeneratorStepNames.Qwen2Specs, GeneratorStepNames.Qwen2Sources,
        GeneratorStepNames.Qwen3Specs, GeneratorStepNames.Qwen3Sources, GeneratorStepNames.Phi3Specs, GeneratorStepNames.Phi3Sources,
        GeneratorStepNames.GemmaSpecs, GeneratorStepNames.GemmaSources, GeneratorStepNames.SetupSpecs, GeneratorStepNames.SetupSources,
    ];

    const string Unrelated = "namespace Demo; public static class Notes { public static int Count => 1; }";

    [Fact]
    public void EveryFamilyStepHasItsOwnTrackingName()
    {
        var names = typeof(GeneratorStepNames).GetFields().Select(f => (string)f.GetValue(null)!).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        var (driver, _) = FirstRun([Declarations.TinyQwen2Config()], Declarations.FromConfig, Declarations.NewFamilies, Declarations.Families, Unrelated);
        var tracked = driver.GetRunResult().Results.Single().TrackedSteps.Keys.ToHashSet();
        Assert.All(TrackedSteps, step => Assert.Contains(step, tracked));
    }

    [Fact]
    public void UnrelatedCSharpEditLeavesEveryStepCachedOrUnchanged()
    {
        var (driver, compilation) = FirstRun([Declarations.TinyQwen2Config()], Declarations.FromConfig, Declarations.NewFamilies, Declarations.Families, Unrelated);

        var edited = ReplaceTree(compilation, 3, Unrelated.Replace("Count => 1", "Count => 2"));
        var reasons = StepReasons(driver.RunGenerators(edited).GetRunResult().Results.Single());

        Assert.Equal(TrackedSteps.OrderBy(s => s), reasons.Keys.OrderBy(s => s));
        AssertNothingRan(reasons, "an unrelated C# edit");
    }

    [Fact]
    public void AnUnrelatedJsonFileReRunsNoFamily()
    {
        var (driver, compilation) = FirstRun([Declarations.TinyQwen2Config()], Declarations.FromConfig, Declarations.NewFamilies);

        driver = driver.AddAdditionalTexts([new InMemoryAdditionalText("/repo/app/appsettings.json", "{\"Logging\": {}}")]);
        var reasons = StepReasons(driver.RunGenerators(compilation).GetRunResult().Results.Single());

        Assert.Contains(IncrementalStepRunReason.Modified, reasons[GeneratorStepNames.ConfigFiles]);
        AssertNothingRan(reasons.Where(r => r.Key != GeneratorStepNames.ConfigFiles).ToDictionary(r => r.Key, r => r.Value), "an unrelated JSON file");
    }

    [Fact]
    public void EditingTheConfigModifiesOnlyItsModelAndItsSetup()
    {
        var original = Declarations.TinyQwen2Config();
        var (driver, compilation) = FirstRun([original], Declarations.FromConfig, Declarations.NewFamilies);

        driver = driver.ReplaceAdditionalText(original, Declarations.TinyQwen2Config(Declarations.TinyQwen2ConfigJson.Replace("\"vocab_size\": 300", "\"vocab_size\": 400")));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        var reasons = StepReasons(result);

        Assert.Contains(IncrementalStepRunReason.Modified, reasons[GeneratorStepNames.FromConfigSpecs]);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons[GeneratorStepNames.FromConfigSources]);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons[GeneratorStepNames.SetupSources]);
        AssertNothingRan(reasons.Where(r => r.Key.EndsWith("Sources") && r.Key is not (GeneratorStepNames.FromConfigSources or GeneratorStepNames.SetupSources))
            .ToDictionary(r => r.Key, r => r.Value), "a config.json edit");
        Assert.Contains("Vocab: 400", result.GeneratedSources.Single(s => s.HintName == "Demo.Configs.TinyQwenFromConfig.g.cs").SourceText.ToString());
    }

    static void AssertNothingRan(IDictionary<string, List<IncrementalStepRunReason>> reasons, string edit)
    {
        foreach (var (step, stepReasons) in reasons)
            Assert.All(stepReasons, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {step} was {reason} after {edit}"));
    }

    static (GeneratorDriver Driver, Compilation Compilation) FirstRun(AdditionalText[] files, params string[] sources)
    {
        var compilation = GeneratorHarness.Compile(sources);
        var driver = GeneratorHarness.NewDriver(true, files).RunGenerators(compilation);
        return (driver, compilation);
    }

    static Compilation ReplaceTree(Compilation compilation, int index, string newText)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newText, GeneratorHarness.ParseOptions, old.FilePath));
    }

    static Dictionary<string, List<IncrementalStepRunReason>> StepReasons(GeneratorRunResult result) =>
        result.TrackedSteps
            .Where(step => TrackedSteps.Contains(step.Key))
            .ToDictionary(step => step.Key, step => step.Value.SelectMany(run => run.Outputs).Select(o => o.Reason).ToList());
}
