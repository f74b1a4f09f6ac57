using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using ModelDsl.Generators.Tests.Support;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generators.Tests.SharedRules;

/// <summary>
/// The same random PEFT declarations go to both sides — the generator and analyzers through a real compilation, the
/// runtime through its public constructors over a real model — and must get the same verdict and the same counts.
/// </summary>
public sealed class PeftRulesCrossCheckTests
{
    const int Layers = 2, Dim = 16, Heads = 2, Vocab = 40, Context = 12;
    static readonly string Model = $"[Gpt2(Layers = {Layers}, Dim = {Dim}, Heads = {Heads}, Vocab = {Vocab}, Context = {Context})] public partial class M;";

    static readonly double[] Alphas = [double.NaN, double.NegativeInfinity, double.PositiveInfinity, -1, 0, 1e-3, 8, 1e300];
    static readonly double[] Dropouts = [double.NaN, -0.1, 0, 0.3, 0.99, 1, double.PositiveInfinity];
    static readonly string[] TargetChoices = ["c_attn", "c_proj", "c_fc", "attn.c_proj", "c_atn", "lm_head"];
    static readonly int[][] LayerChoices = [[0], [1], [0, 1], [2], [-1]];

    sealed record LoraCase(int Rank, double Alpha, double Dropout, string[]? Targets, int[]? Layers);

    static LoraCase[] RandomLoraCases(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int targetMask = random.Next(1 << TargetChoices.Length), layers = random.Next(-1, LayerChoices.Length);
            return new LoraCase(random.Next(-1, 18), Alphas[random.Next(Alphas.Length)], Dropouts[random.Next(Dropouts.Length)],
                targetMask == 0 ? null : TargetChoices.Where((_, i) => (targetMask & (1 << i)) != 0).ToArray(),
                layers < 0 ? null : LayerChoices[layers]);
        }).ToArray();
    }

    [Fact]
    public async Task Random_LoRA_declarations_get_the_same_verdict_and_count_from_the_generator_and_the_runtime()
    {
        var cases = RandomLoraCases(120, seed: 20261130);
        var verdicts = await CompileAsync(cases.Select((c, i) => $"[FineTune<M>, LoRA({c.Rank}, Alpha = {Literal(c.Alpha)}, Dropout = {Literal(c.Dropout)}"
            + (c.Targets is null ? "" : $", Targets = [{string.Join(", ", c.Targets.Select(t => $"\"{t}\""))}]")
            + (c.Layers is null ? "" : $", Layers = [{string.Join(", ", c.Layers)}]")
            + $")] public partial class S{i};"));

        int valid = 0;
        for (int i = 0; i < cases.Length; i++)
        {
            var runtime = RuntimeLora(cases[i]);
            Assert.True(verdicts[i].Valid == runtime.HasValue,
                $"{cases[i]}: the generator says {(verdicts[i].Valid ? "valid" : string.Join(", ", verdicts[i].Errors))}, the runtime says {(runtime.HasValue ? "valid" : "invalid")}.");
            if (runtime is { } count)
            {
                Assert.Equal(count, verdicts[i].Trainable);
                valid++;
            }
        }
        // The sample must exercise both outcomes, or the comparison proves little.
        Assert.InRange(valid, 5, cases.Length - 5);
    }

    [Fact]
    public async Task Soft_prompt_and_bottleneck_widths_get_the_same_verdict_and_count_on_both_sides()
    {
        int[] tokens = [-1, 0, 1, 5, Context - 1, Context, Context + 1];
        int[] widths = [-1, 0, 1, 4, Dim - 1, Dim, Dim + 1];
        var declarations = tokens.Select((t, i) => $"[FineTune<M>, SoftPrompt({t})] public partial class P{i};")
            .Concat(widths.Select((b, i) => $"[FineTune<M>, Adapter(Bottleneck = {b})] public partial class A{i};"));
        var verdicts = await CompileAsync(declarations);

        for (int i = 0; i < tokens.Length; i++)
        {
            long? runtime = RuntimeCount(model => new HandWrittenSetup(model, new PromptTuningConfig(tokens[i])));
            Assert.True(verdicts[i].Valid == runtime.HasValue, $"SoftPrompt({tokens[i]}): generator {verdicts[i].Valid}, runtime {runtime.HasValue}.");
            if (runtime is { } count) Assert.Equal(count, verdicts[i].Trainable);
        }
        for (int i = 0; i < widths.Length; i++)
        {
            var v = verdicts[tokens.Length + i];
            long? runtime = RuntimeCount(model => new HandWrittenSetup(model, new BottleneckConfig(widths[i], BottleneckPlacement.Houlsby)));
            Assert.True(v.Valid == runtime.HasValue, $"Adapter(Bottleneck = {widths[i]}): generator {v.Valid}, runtime {runtime.HasValue}.");
            if (runtime is { } count) Assert.Equal(count, v.Trainable);
        }
    }

    /// <summary>What the compiler says of each setup <c>S{i}</c>/<c>P{i}</c>/<c>A{i}</c>: its MDSL errors, or its generated trainable count.</summary>
    sealed record Verdict(bool Valid, string[] Errors, long Trainable);

    static async Task<Verdict[]> CompileAsync(IEnumerable<string> setups)
    {
        var list = setups.ToList();
        var source = "using ModelDsl;\n" + Model + "\n" + string.Join("\n", list) + "\n";
        var (result, _) = GeneratorHarness.Run(source);
        var diagnostics = await AnalyzerRunner.AfterGenerationAsync(source);
        var tree = CSharpSyntaxTreeLines(source);
        return list.Select((declaration, i) =>
        {
            var name = Regex.Match(declaration, @"partial class (\w+);").Groups[1].Value;
            int line = Array.IndexOf(tree, declaration);
            var errors = diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error
                                                && d.Location.GetLineSpan().StartLinePosition.Line == line)
                .Select(d => d.Id).ToArray();
            var generated = result.GeneratedTrees.SingleOrDefault(t => t.FilePath.EndsWith("/" + name + ".g.cs", StringComparison.Ordinal));
            Assert.True(generated is not null, $"{declaration}: no generated source (an invalid setup still gets a stub).");
            var text = generated!.GetText().ToString();
            long trainable = long.Parse(Regex.Match(text, @"TrainableParameterCount = (\d+)L?;").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(errors.Length == 0 == !text.Contains("Not generated: this declaration has error"),
                $"{declaration}: errors [{string.Join(", ", errors)}] but the generated source is {(errors.Length == 0 ? "a stub" : "the full setup")}.");
            return new Verdict(errors.Length == 0, errors, trainable);
        }).ToArray();
    }

    static string[] CSharpSyntaxTreeLines(string source) => source.Split('\n');

    // The runtime side: LoRA resolved against the real model's module names with the runtime's own copy of the rules.
    static long? RuntimeLora(LoraCase c)
    {
        LoraSettings settings;
        try { settings = new LoraSettings(c.Rank, c.Alpha, c.Dropout); }
        catch (ArgumentOutOfRangeException) { return null; }
        var targets = c.Targets ?? ["c_attn"];   // PEFT's default for GPT-2
        if (c.Layers is { } layers && layers.Any(l => l < 0 || l >= Layers)) return null;
        return RuntimeCount(model =>
        {
            var matched = model.named_modules()
                .Where(m => m.module is LinearBase && Matches(m.name, targets) && InLayers(m.name, c.Layers))
                .ToList();
            foreach (var target in targets)
                if (!matched.Any(m => Matches(m.name, [target]))) throw new ArgumentException($"'{target}' matches no layer.");
            return new HandWrittenSetup(model, new LoraConfig(settings, targets), matched.Select(m => ((LinearBase)m.module, m.name)));
        });
    }

    static bool Matches(string name, string[] targets) =>
        targets.Any(t => name == t || name.EndsWith("." + t, StringComparison.Ordinal));

    static bool InLayers(string name, int[]? layers) =>
        layers is null || layers.Any(l => name.StartsWith($"transformer.h.{l}.", StringComparison.Ordinal));

    static long? RuntimeCount(Func<Gpt2LMHeadModel, PeftSetup> create)
    {
        var model = new Gpt2LMHeadModel(new Gpt2Config(Layers, Dim, Heads, Vocab, Context));
        try
        {
            using var setup = create(model);
            return setup.CountTrainableParameters();
        }
        catch (ArgumentException)
        {
            model.Dispose();
            return null;
        }
    }

    static string Literal(double value) => value switch
    {
        double.NaN => "double.NaN",
        double.PositiveInfinity => "double.PositiveInfinity",
        double.NegativeInfinity => "double.NegativeInfinity",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A setup written by hand over GPT-2, attaching what it is given: the runtime's side of the comparison.</summary>
    sealed class HandWrittenSetup : PeftSetup<Gpt2LMHeadModel>
    {
        public HandWrittenSetup(Gpt2LMHeadModel model, PeftConfig config, IEnumerable<(LinearBase Layer, string Path)>? loraTargets = null)
            : base(model, config)
        {
            foreach (var (layer, path) in loraTargets ?? []) AttachLora(layer, path);
            if (config is not BottleneckConfig bottleneck) return;
            for (int i = 0; i < model.transformer.h.Count; i++)
            {
                var block = model.transformer.h[i];
                if (bottleneck.Placement == BottleneckPlacement.Houlsby)
                    AttachBottleneck($"transformer.h.{i}.attention_adapter", a => block.AttentionAdapter = a);
                AttachBottleneck($"transformer.h.{i}.mlp_adapter", a => block.MlpAdapter = a);
            }
        }
    }
}
