using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Incrementality;

/// <summary>
/// Every step the generator builds has its own name from <see cref="GeneratorStepNames"/>, so the incrementality tests
/// can see all of them; with every kind of declaration, the command line and a config.json in the project, an
/// unrelated edit leaves every one of them cached.
/// </summary>
public class StepNamingTests
{
    /// <summary>Every name <see cref="GeneratorStepNames"/> gives: its constants and the per-pipeline names.</summary>
    static readonly string[] AllNames =
    [
        .. typeof(GeneratorStepNames).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!),
        .. GeneratorStepNames.Pipelines.Select(GeneratorStepNames.Reports),
        .. GeneratorStepNames.CommandLinePipelines.SelectMany(p => new[] { GeneratorStepNames.Entries(p), GeneratorStepNames.EntryList(p) }),
        .. GeneratorStepNames.CommandLinePipelines.Skip(1).SelectMany(p => new[] { GeneratorStepNames.EntriesWith(p), GeneratorStepNames.EntriesThrough(p) }),
    ];

    // Steps Roslyn builds and names itself: the driver's inputs and the insides of ForAttributeWithMetadataName.
    static readonly HashSet<string> DriverInputs = ["Compilation", "CompilationOptions", "ParseOptions", "MetadataReferences", "AdditionalTexts", "AnalyzerConfigOptions"];

    static bool IsRoslyns(string? name) => name is not null && (DriverInputs.Contains(name) || name.Contains("_ForAttribute"));

    const string Unrelated = "namespace Demo; public static class Notes { public static int Count => 1; }";

    // A Main of the project's own (MDSL240's case), so the step that looks for one has something to report.
    const string OwnEntryPoint = "namespace Demo; public static class Tool { public static void Main() { } }";

    // One declaration of every kind the generator reads, so every pipeline has a class in it; the unrelated file last.
    static readonly string[] Everything =
        [Declarations.TinyGpt, Declarations.Families, Declarations.NewFamilies, Declarations.FromConfig, Declarations.Setups, Declarations.Clients, OwnEntryPoint, Unrelated];

    [Fact]
    public void Step_names_are_unique()
    {
        var repeated = AllNames.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, "step names used twice: " + string.Join(", ", repeated));
    }

    [Fact]
    public void Every_step_the_driver_runs_has_its_own_name_from_GeneratorStepNames()
    {
        var (driver, _) = FirstRun(Everything);
        var result = driver.GetRunResult().Results.Single();

        var problems = new List<string>();
        var inputsByName = new Dictionary<string, HashSet<string>>();
        var seen = new HashSet<IncrementalGeneratorRunStep>();
        var pending = new Stack<(IncrementalGeneratorRunStep Step, string Downstream)>(
            result.TrackedOutputSteps.SelectMany(o => o.Value).SelectMany(output => output.Inputs.Select(i => (i.Source, "a source output"))));
        while (pending.Count > 0)
        {
            var (step, downstream) = pending.Pop();
            if (!seen.Add(step) || IsRoslyns(step.Name)) continue;
            if (step.Name is null) problems.Add($"a step without a name feeds {downstream}");
            else if (!AllNames.Contains(step.Name)) problems.Add($"step '{step.Name}' (feeding {downstream}) is not named from GeneratorStepNames");
            var inputs = string.Join("+", step.Inputs.Select(i => i.Source.Name ?? "(unnamed)"));
            if (step.Name is not null && inputsByName.TryGetValue(step.Name, out var earlier)) earlier.Add(inputs);
            else if (step.Name is not null) inputsByName[step.Name] = [inputs];
            foreach (var input in step.Inputs) pending.Push((input.Source, step.Name ?? $"an unnamed step under {downstream}"));
        }
        // Two steps sharing a name would show as one name over different inputs.
        problems.AddRange(inputsByName.Where(n => n.Value.Count > 1).Select(n => $"'{n.Key}' names steps over different inputs: {string.Join(" | ", n.Value)}"));
        problems.AddRange(AllNames.Except(result.TrackedSteps.Keys).Select(n => $"'{n}' is in GeneratorStepNames but no step reports it"));
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_named_step_cached_or_unchanged()
    {
        var (driver, compilation) = FirstRun(Everything);

        var old = compilation.SyntaxTrees.ElementAt(Everything.Length - 1);
        var edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Unrelated.Replace("Count => 1", "Count => 2"), GeneratorHarness.ParseOptions, old.FilePath));
        var steps = driver.RunGenerators(edited).GetRunResult().Results.Single().TrackedSteps;

        Assert.Equal(AllNames.OrderBy(n => n), steps.Keys.Where(AllNames.Contains).OrderBy(n => n));
        var ran = AllNames
            .SelectMany(name => steps[name].SelectMany(run => run.Outputs).Select(o => (name, o.Reason)))
            .Where(r => r.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(r => $"{r.name} was {r.Reason}")
            .Distinct().ToList();
        Assert.True(ran.Count == 0, "after an unrelated edit: " + string.Join(", ", ran));
    }

    static (GeneratorDriver Driver, Compilation Compilation) FirstRun(string[] sources)
    {
        var compilation = GeneratorHarness.Compile(sources);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator()],
            additionalTexts: [Declarations.TinyQwen2Config()],
            parseOptions: GeneratorHarness.ParseOptions,
            optionsProvider: new BuildProperties(new Dictionary<string, string> { ["ModelDslCommandLine"] = "true" }),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return (driver.RunGenerators(compilation), compilation);
    }
}
