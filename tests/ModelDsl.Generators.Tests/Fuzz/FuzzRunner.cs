using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Tests.Support;

namespace ModelDsl.Generators.Tests.Fuzz;

/// <summary>Runs the generator and the analyzer over one case and checks what must hold for every input.</summary>
internal static class FuzzRunner
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static void Check(FuzzCase fuzzCase)
    {
        var work = Task.Run(() => CheckAsync(fuzzCase));
        if (!work.Wait(Limit)) throw new TimeoutException($"The generator or analyzer took over {Limit.TotalSeconds} s on {fuzzCase}");
        work.GetAwaiter().GetResult();
    }

    static async Task CheckAsync(FuzzCase fuzzCase)
    {
        // As real code does, something uses the declared types, so their generated members (or stubs) are bound too.
        var input = GeneratorHarness.Compile(fuzzCase.Source, UsageOf(fuzzCase.Source));
        AdditionalText[] files = fuzzCase.ConfigJson is null ? [] : [new InMemoryAdditionalText("/fuzz/project/" + FuzzCase.ConfigPath, fuzzCase.ConfigJson)];
        var driver = GeneratorHarness.NewDriver(false, files).RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        Require(run.Results.All(r => r.Exception is null), "the generator threw", fuzzCase, run.Results.Select(r => r.Exception?.ToString()));
        Require(!generatorDiagnostics.Concat(run.Diagnostics).Any(d => d.Id == "CS8785"), "the generator failed (CS8785)", fuzzCase, generatorDiagnostics);

        // As in a build: the analyzer sees the user's code and the generator's output.
        var (diagnostics, exceptions) = await AnalyzerRunner.RunAsync(output, files);
        Require(exceptions.Length == 0, "the analyzer threw", fuzzCase, exceptions.Select(e => e.ToString()));
        Require(!diagnostics.Any(d => d.Id == "AD0001"), "the analyzer failed (AD0001)", fuzzCase, diagnostics);

        // What a build shows: the generator's own reports (MDSL001/002 for classes C# stops on) and the analyzer's.
        var errors = run.Diagnostics.Concat(diagnostics).Where(d => d.Id.StartsWith("MDSL", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToList();
        switch (fuzzCase.Expect)
        {
            case Expectation.Invalid:
                Require(errors.Count > 0, "a declaration with a mistake got no MDSL error", fuzzCase, diagnostics);
                break;
            case Expectation.Valid:
                Require(errors.Count == 0, "a valid declaration got MDSL errors", fuzzCase, errors);
                break;
        }
        // A setup the analyzer accepts over a model it accepts is generated, and the whole output compiles.
        bool acceptedSetup = fuzzCase.Kind == "[FineTune]" && errors.Count == 0;
        if (fuzzCase.ExpectsGeneratedCode || acceptedSetup)
        {
            Require(run.GeneratedTrees.Length > 0, "a valid declaration generated nothing", fuzzCase, diagnostics);
            var compileErrors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Require(compileErrors.Count == 0, "the generated code does not compile", fuzzCase, compileErrors);
        }
    }

    // A usage line per declared class: models are constructed, other classes named; generic ones are left out.
    static string UsageOf(string source)
    {
        var lines = System.Text.RegularExpressions.Regex.Matches(source, @"\[(?<attribute>Model|Module|Gpt2|Llama|Mistral|Qwen2|Qwen3|Phi3|Gemma|FromConfig|FineTune|InferenceClient)\b[^\n]*\n(?:\[[^\n]*\n)*public (?:partial )?class (?<name>\w+)(?<generic><)?")
            .Where(m => !m.Groups["generic"].Success)
            .Select(m => m.Groups["attribute"].Value is not ("Module" or "FineTune" or "InferenceClient")
                ? $"        _ = new global::{m.Groups["name"].Value}();"
                : $"        _ = typeof(global::{m.Groups["name"].Value});");
        return "public static class FuzzUsage\n{\n    public static void Use()\n    {\n" + string.Join("\n", lines) + "\n    }\n}\n";
    }

    static void Require<T>(bool condition, string what, FuzzCase fuzzCase, System.Collections.Generic.IEnumerable<T> details)
    {
        if (!condition)
            throw new InvalidOperationException($"{what}: {fuzzCase}\n--- details:\n{string.Join("\n", details.Where(d => d is not null))}");
    }
}
