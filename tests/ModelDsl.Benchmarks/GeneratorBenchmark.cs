using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generators;

namespace ModelDsl.Benchmarks;

/// <summary>
/// The source generator over 100 declarations (50 GPT-2 families, 50 LoRA setups over them): the time of a first run,
/// and how many tracked step outputs are cached or unchanged after an edit to an unrelated file.
/// </summary>
internal sealed record GeneratorMeasurement(int Declarations, double ProcessColdMs, double FreshDriverMs, int TrackedOutputs, int CachedOutputs)
{
    public double CachedShare => TrackedOutputs == 0 ? 0 : (double)CachedOutputs / TrackedOutputs;
}

internal static class GeneratorBenchmark
{
    static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp13);
    const string Unrelated = "namespace Bench; public static class Notes { public static int Count => 1; }";

    static readonly string[] TrackedSteps =
    [
        GeneratorStepNames.ModelSpecs, GeneratorStepNames.ModuleSpecs, GeneratorStepNames.ModuleCatalog,
        GeneratorStepNames.ModelSources, GeneratorStepNames.ModuleSources, GeneratorStepNames.Gpt2Specs,
        GeneratorStepNames.LlamaSpecs, GeneratorStepNames.Gpt2Sources, GeneratorStepNames.LlamaSources, GeneratorStepNames.SetupSpecs, GeneratorStepNames.SetupSources,
    ];

    public static GeneratorMeasurement Run(TextWriter log, int pairs = 50)
    {
        var compilation = Compile(Declarations(pairs), Unrelated);
        // The first run in this process pays for JIT-compiling Roslyn's driver and the generator.
        var processCold = Stats.Time(() => NewDriver(trackSteps: false).RunGenerators(compilation));
        // A fresh driver in a warm process: a new build in a running compiler server or IDE.
        var fresh = Enumerable.Range(0, 5).Select(_ =>
        {
            var c = Compile(Declarations(pairs), Unrelated);
            var driver = NewDriver(trackSteps: false);
            return Stats.Time(() => driver.RunGenerators(c));
        }).Min();

        var tracked = NewDriver(trackSteps: true).RunGenerators(compilation);
        var unrelatedTree = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(unrelatedTree,
            CSharpSyntaxTree.ParseText(Unrelated.Replace("Count => 1", "Count => 2"), ParseOptions, unrelatedTree.FilePath));
        var result = tracked.RunGenerators(edited).GetRunResult().Results.Single();
        var reasons = result.TrackedSteps.Where(s => TrackedSteps.Contains(s.Key))
            .SelectMany(s => s.Value.SelectMany(run => run.Outputs).Select(o => o.Reason)).ToList();
        var cached = reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        var measurement = new GeneratorMeasurement(pairs * 2, processCold * 1000, fresh * 1000, reasons.Count, cached);
        log.WriteLine($"  {measurement.Declarations} declarations: first run {measurement.ProcessColdMs:F0} ms, fresh driver {measurement.FreshDriverMs:F1} ms; "
                      + $"after an unrelated edit {cached}/{reasons.Count} step outputs cached");
        return measurement;
    }

    static string Declarations(int pairs)
    {
        var text = new StringBuilder("using ModelDsl;\nnamespace Bench;\n");
        for (var i = 0; i < pairs; i++)
        {
            text.Append($"[Gpt2(Layers = {2 + i % 6}, Dim = 384, Heads = 6, Vocab = 8192, Context = 256)]\npublic partial class Story{i};\n");
            text.Append($"[FineTune<Story{i}>]\n[LoRA({4 + i % 5}, Alpha = 16, Targets = [\"attn.c_attn\", \"attn.c_proj\"])]\npublic partial class StoryLora{i};\n");
        }
        return text.ToString();
    }

    static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ModelDsl.ModelAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ModelDsl.Layers.Linear).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly.Location),
    ];

    static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create("GeneratorBenchmarkInput",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Input{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    static GeneratorDriver NewDriver(bool trackSteps) =>
        CSharpGeneratorDriver.Create([new ModelGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
}
