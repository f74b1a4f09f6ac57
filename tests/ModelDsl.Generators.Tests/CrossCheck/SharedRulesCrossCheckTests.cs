using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using CsCheck;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Tests.Support;
using ModelDsl.Layers;
using ModelDsl.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generators.Tests.CrossCheck;

/// <summary>
/// The same random family declarations go to the generator (its analyzer findings and its ParameterCount constant) and
/// to the runtime (the config the attribute's values make, validated, then built on the meta device): both must accept
/// or refuse it, a refusal must name the same argument, and an accepted model must have the same parameter count on
/// both sides.
/// </summary>
public class SharedRulesCrossCheckTests
{
    const int Cases = 300;

    /// <summary>One declaration: the family, and each argument written with its C# text and the value it has.</summary>
    public sealed record Declaration(string Family, IReadOnlyList<(string Name, string Text, object Value)> Arguments)
    {
        public string Source => $"using ModelDsl;\n\n[{Family}({string.Join(", ", Arguments.Select(a => $"{a.Name} = {a.Text}"))})]\npublic partial class Checked;\n";

        public override string ToString() => Source;
    }

    static readonly string[] Families = ["Gpt2", "Llama", "Mistral", "Qwen2", "Qwen3", "Phi3", "Gemma"];

    static readonly Gen<(string, object)> Size = Gen.Frequency(
        (12, Gen.Int[1, 6].Select(i => ((8 * i).ToString(CultureInfo.InvariantCulture), (object)(8 * i)))),
        (2, Gen.OneOf(("0", (object)0), ("-1", (object)(-1)), ("3", (object)3), ("5", (object)5))),
        (1, Gen.OneOf(("int.MaxValue", (object)int.MaxValue), ("1 << 28", (object)(1 << 28)))));

    static readonly Gen<(string, object)> Positive = Gen.Frequency(
        (12, Gen.OneOf(("1e-5", (object)1e-5), ("1e-6", (object)1e-6), ("10000", (object)10000.0), ("0.5", (object)0.5), ("2", (object)2.0))),
        (1, Gen.OneOf(("0.0", (object)0.0), ("-1.0", (object)-1.0), ("double.NaN", (object)double.NaN),
            ("double.PositiveInfinity", (object)double.PositiveInfinity), ("double.NegativeInfinity", (object)double.NegativeInfinity))));

    static Gen<(string Name, string Text, object Value)?> Maybe(string name, Gen<(string, object)> values) =>
        Gen.Frequency((3, values.Select(v => ((string, string, object)?)(name, v.Item1, v.Item2))), (1, Gen.Const(((string, string, object)?)null)));

    static Gen<Declaration> DeclarationOf(string family)
    {
        var sizes = new List<Gen<(string, string, object)?>>
        {
            Maybe("Layers", Gen.Frequency((8, Gen.Int[1, 3].Select(i => (i.ToString(CultureInfo.InvariantCulture), (object)i))), (1, Size))),
            Maybe("Dim", Size), Maybe("Heads", Gen.Frequency((6, Gen.OneOf(("2", (object)2), ("4", (object)4))), (1, Size))),
            Maybe("Vocab", Size), Maybe("Context", Size), Maybe("NormEps", Positive),
        };
        if (family != "Gpt2")
        {
            sizes.Add(Maybe("KvHeads", Gen.Frequency((6, Gen.OneOf(("0", (object)0), ("1", (object)1), ("2", (object)2))), (1, Size))));
            sizes.Add(Maybe("HeadDim", Gen.Frequency((6, Gen.OneOf(("0", (object)0), ("8", (object)8), ("16", (object)16))), (1, Size))));
            sizes.Add(Maybe("Ffn", Size));
            sizes.Add(Maybe("RopeTheta", Positive));
            sizes.Add(Maybe("TieEmbeddings", Gen.Bool.Select(b => (b ? "true" : "false", (object)b))));
        }
        if (family is "Mistral" or "Qwen2" or "Qwen3" or "Phi3")
            sizes.Add(Maybe("SlidingWindow", Gen.OneOf(("0", (object)0), ("4", (object)4), ("-2", (object)(-2)))));
        if (family is "Qwen2" or "Qwen3")
            sizes.Add(Maybe("MaxWindowLayers", Gen.OneOf(("0", (object)0), ("1", (object)1), ("-1", (object)(-1)))));
        Gen<IEnumerable<(string, string, object)>> rope = family == "Llama"
            ? Gen.Frequency(
                (2, Gen.Const(Enumerable.Empty<(string, string, object)>())),
                (1, Positive.Select(f => (IEnumerable<(string, string, object)>)[("RopeScaling", "RopeScaling.Linear", (object)RopeScaling.Linear), ("RopeFactor", f.Item1, f.Item2)])),
                (1, Gen.Select(Positive, Positive, Positive, Size, (f, low, high, original) => (IEnumerable<(string, string, object)>)
                    [("RopeScaling", "RopeScaling.Llama3", (object)RopeScaling.Llama3), ("RopeFactor", f.Item1, f.Item2),
                     ("LowFreqFactor", low.Item1, low.Item2), ("HighFreqFactor", high.Item1, high.Item2), ("OriginalContext", original.Item1, original.Item2)])))
            : Gen.Const(Enumerable.Empty<(string, string, object)>());
        return Gen.Select(sizes.Aggregate(Gen.Const(Enumerable.Empty<(string, string, object)>()),
                (all, next) => Gen.Select(all, next, (a, n) => n is { } value ? a.Append(value) : a)), rope,
            (arguments, scaling) => new Declaration(family, arguments.Concat(scaling).ToList()));
    }

    [Fact]
    public void GeneratorAndRuntimeGiveTheSameVerdictAndCount()
    {
        int accepted = 0, refused = 0;
        Gen.OneOf(Families).SelectMany(DeclarationOf).Sample(declaration =>
        {
            if (Check(declaration)) Interlocked.Increment(ref accepted);
            else Interlocked.Increment(ref refused);
        }, iter: Cases, print: d => d.Source);
        // Both verdicts were exercised, so agreement on each means something.
        Assert.True(accepted > Cases / 10 && refused > Cases / 10, $"{accepted} accepted and {refused} refused declarations");
    }

    // Whether the declaration was accepted (by both sides).
    static bool Check(Declaration declaration)
    {
        var (generatorProblems, generatorCount) = GeneratorSide(declaration);
        var (runtimeField, runtimeCount) = RuntimeSide(declaration);

        if (generatorProblems.Count == 0)
        {
            Assert.True(runtimeField is null, $"the generator accepts the declaration, the runtime refuses it naming {runtimeField}");
            Assert.Equal(generatorCount, runtimeCount);
            return true;
        }
        else
        {
            Assert.True(runtimeField is not null || runtimeCount < 0,
                $"the generator refuses the declaration ({string.Join("; ", generatorProblems)}), the runtime accepts it");
            // The runtime names the field of the first problem; the generator reports every problem, that one among them.
            var fields = generatorProblems.Select(p => FieldOf(declaration.Family, p.Argument)).ToList();
            Assert.Contains(runtimeField, fields);
            return false;
        }
    }

    // The analyzer's findings on the declaration, and the ParameterCount constant the generator emits when it accepts it.
    static (List<(string Id, string? Argument)> Problems, long Count) GeneratorSide(Declaration declaration)
    {
        var compilation = GeneratorHarness.Compile(declaration.Source);
        var type = compilation.GetTypeByMetadataName("Checked")!;
        var problems = ModelDslAnalyzer.Findings(type, CancellationToken.None).Select(f => (f.Finding.Id, f.Finding.Argument)).ToList();
        if (problems.Count > 0) return (problems, -1);
        var (result, _) = GeneratorHarness.Run(declaration.Source);
        var text = GeneratorHarness.GeneratedText(result, "Checked");
        var count = Regex.Match(text, @"public const long ParameterCount = (\d+)L;");
        Assert.True(count.Success, "the generated class has no ParameterCount constant:\n" + text);
        return (problems, long.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    // The config a runtime user writes from the same values (the attribute's own defaults for the rest), validated and
    // built on the meta device: the field it refuses (null when it accepts) and the parameters of the built model.
    static (string? Field, long Count) RuntimeSide(Declaration declaration)
    {
        var attribute = (Attribute)Activator.CreateInstance(typeof(ModelDsl.ModelAttribute).Assembly.GetType("ModelDsl." + declaration.Family + "Attribute")!)!;
        foreach (var (name, _, value) in declaration.Arguments) attribute.GetType().GetProperty(name)!.SetValue(attribute, value);
        var config = ConfigOf(attribute);
        try
        {
            config.Validate();
        }
        catch (ModelConfigException e)
        {
            return (e.Field ?? "", -1);
        }
        using var model = config.CreateModel(META);
        Assert.Equal(config.ParameterCount, model.CountParameters());
        return (null, model.CountParameters());
    }

    static int Kv(int kvHeads, int heads) => kvHeads == 0 ? heads : kvHeads;

    static ModelConfig ConfigOf(Attribute attribute) => attribute switch
    {
        Gpt2Attribute a => new Gpt2Config(a.Layers, a.Dim, a.Heads, a.Vocab, a.Context, a.NormEps),
        LlamaAttribute a => new LlamaConfig(a.Layers, a.Dim, a.Heads, Kv(a.KvHeads, a.Heads), a.Ffn, a.Vocab, a.Context, a.RopeTheta, a.TieEmbeddings,
            a.NormEps, a.HeadDim, a.RopeScaling switch
            {
                RopeScaling.Linear => RotaryScaling.Linear(a.RopeFactor),
                RopeScaling.Llama3 => RotaryScaling.Llama3(a.RopeFactor, a.LowFreqFactor, a.HighFreqFactor, a.OriginalContext),
                _ => null,
            }),
        MistralAttribute a => new MistralConfig(a.Layers, a.Dim, a.Heads, Kv(a.KvHeads, a.Heads), a.Ffn, a.Vocab, a.Context, a.RopeTheta, a.TieEmbeddings,
            a.NormEps, a.HeadDim, null, a.SlidingWindow),
        Qwen2Attribute a => new Qwen2Config(a.Layers, a.Dim, a.Heads, Kv(a.KvHeads, a.Heads), a.Ffn, a.Vocab, a.Context, a.RopeTheta, a.TieEmbeddings,
            a.NormEps, a.HeadDim, null, a.SlidingWindow, a.MaxWindowLayers),
        Qwen3Attribute a => new Qwen3Config(a.Layers, a.Dim, a.Heads, Kv(a.KvHeads, a.Heads), a.Ffn, a.Vocab, a.Context, a.RopeTheta, a.TieEmbeddings,
            a.NormEps, a.HeadDim, null, a.SlidingWindow, a.MaxWindowLayers),
        Phi3Attribute a => new Phi3Config(a.Layers, a.Dim, a.Heads, Kv(a.KvHeads, a.Heads), a.Ffn, a.Vocab, a.Context, a.RopeTheta, a.TieEmbeddings,
            a.NormEps, a.HeadDim, null, a.SlidingWindow),
        GemmaAttribute a => new GemmaConfig(a.Layers, a.Dim, a.Heads, Kv(a.KvHeads, a.Heads), a.Ffn, a.Vocab, a.Context, a.RopeTheta, a.TieEmbeddings,
            a.NormEps, a.HeadDim),
        _ => throw new ArgumentOutOfRangeException(nameof(attribute)),
    };

    // Hugging Face's name of each argument (what the runtime's errors name), written out independently of the shared table.
    static string FieldOf(string family, string? argument) => (family, argument) switch
    {
        (_, null) => "",
        ("Gpt2", "Layers") => "n_layer",
        ("Gpt2", "Dim") => "n_embd",
        ("Gpt2", "Heads") => "n_head",
        ("Gpt2", "Context") => "n_positions",
        ("Gpt2", "NormEps") => "layer_norm_epsilon",
        (_, "Layers") => "num_hidden_layers",
        (_, "Dim") => "hidden_size",
        (_, "Heads") => "num_attention_heads",
        (_, "KvHeads") => "num_key_value_heads",
        (_, "HeadDim") => "head_dim",
        (_, "Ffn") => "intermediate_size",
        (_, "Vocab") => "vocab_size",
        (_, "Context") => "max_position_embeddings",
        (_, "NormEps") => "rms_norm_eps",
        (_, "RopeTheta") => "rope_theta",
        (_, "RopeFactor") => "rope_scaling.factor",
        (_, "LowFreqFactor") => "rope_scaling.low_freq_factor",
        (_, "HighFreqFactor") => "rope_scaling.high_freq_factor",
        (_, "OriginalContext") => "rope_scaling.original_max_position_embeddings",
        (_, "SlidingWindow") => "sliding_window",
        (_, "MaxWindowLayers") => "max_window_layers",
        _ => "?" + argument,
    };
}
