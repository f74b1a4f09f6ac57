using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Incrementality;

public class IncrementalityTests
{
    static readonly string[] TrackedSteps =
    [
        GeneratorStepNames.ModelSpecs, GeneratorStepNames.ModuleSpecs, GeneratorStepNames.ModuleCatalog,
        GeneratorStepNames.ModelSources, GeneratorStepNames.ModuleSources,
        GeneratorStepNames.Gpt2Specs, GeneratorStepNames.LlamaSpecs, GeneratorStepNames.Gpt2Sources, GeneratorStepNames.LlamaSources,
        GeneratorStepNames.SetupSpecs, GeneratorStepNames.SetupSources,
    ];

    const string Unrelated = "namespace Demo; public static class Notes { public static int Count => 1; }";

    [Fact]
    public void UnrelatedEditLeavesEveryStepCachedOrUnchanged()
    {
        var (driver, compilation) = FirstRun(Declarations.TinyGpt, Declarations.Families, Unrelated, Declarations.Setups);

        var edited = ReplaceTree(compilation, 2, Unrelated.Replace("Count => 1", "Count => 2"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var reasons = StepReasons(result);
        Assert.Equal(TrackedSteps.OrderBy(s => s), reasons.Keys.OrderBy(s => s));
        foreach (var (step, stepReasons) in reasons)
            Assert.All(stepReasons, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {step} was {reason} after an unrelated edit"));
    }

    [Fact]
    public void ChangingTheRankModifiesOnlyThatSetup()
    {
        var (driver, compilation) = FirstRun(Declarations.TinyGpt, Declarations.Families, Unrelated, Declarations.Setups);

        var edited = ReplaceTree(compilation, 3, Declarations.Setups.Replace("[LoRA(8, Targets", "[LoRA(4, Targets"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var setupReasons = StepReasons(result)[GeneratorStepNames.SetupSources];
        Assert.Equal(1, setupReasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.All(StepReasons(result)[GeneratorStepNames.ModelSources], r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("public const long TrainableParameterCount = 147456L;",
            result.GeneratedSources.Single(s => s.HintName == "Gpt2Lora.g.cs").SourceText.ToString());
    }

    [Fact]
    public void ChangingALayerSizeModifiesTheSpecAndTheSource()
    {
        var (driver, compilation) = FirstRun(Declarations.TinyGpt, Declarations.Families, Unrelated, Declarations.Setups);

        var edited = ReplaceTree(compilation, 0, Declarations.TinyGpt.Replace("Context = 16", "Context = 32"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var reasons = StepReasons(result);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons[GeneratorStepNames.ModelSpecs]);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons[GeneratorStepNames.ModelSources]);
        // The families live in another file and did not change.
        Assert.All(reasons[GeneratorStepNames.Gpt2Sources].Concat(reasons[GeneratorStepNames.LlamaSources]), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.All(reasons[GeneratorStepNames.SetupSources], r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("new(\"wpe.weight\", new long[] { 32, 32 })",
            result.GeneratedSources.Single(s => s.HintName == "Demo.TinyGpt.g.cs").SourceText.ToString());
    }

    static (GeneratorDriver Driver, Compilation Compilation) FirstRun(params string[] sources)
    {
        var compilation = GeneratorHarness.Compile(sources);
        var driver = GeneratorHarness.NewDriver(trackSteps: true).RunGenerators(compilation);
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
