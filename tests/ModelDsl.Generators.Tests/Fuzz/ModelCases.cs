using System.Collections.Generic;
using System.Linq;
using CsCheck;
using static ModelDsl.Generators.Tests.Fuzz.FuzzValues;

namespace ModelDsl.Generators.Tests.Fuzz;

/// <summary>[Model] classes built from random layer attributes (and a repeated [Module] block); validity decided from the values.</summary>
internal static class ModelCases
{
    /// <summary>
    /// One layer attribute: its text, the runtime type it needs, whether its own values are valid, its explicit state name,
    /// and how many parameters it creates (in double: sizes near int.MaxValue multiply past a long).
    /// </summary>
    internal sealed record Layer(string Attribute, string Type, bool Valid, string? Name, string? TiedTo = null, double Parameters = 0);

    /// <summary>The most parameters a declaration may have (1 TB of fp32 weights): more is MDSL020.</summary>
    const double MaxParameters = 2.5e11;

    static readonly Gen<string?> StateName = Gen.Frequency(
        (10, Gen.Const((string?)null)), (1, Gen.Const<string?>("proj")), (1, Gen.Const<string?>("")), (1, Gen.Const<string?>("a.b")),
        (1, Gen.Const<string?>("l0")));

    static string WithName(string arguments, string? name) =>
        name is null ? arguments : Arguments(arguments, $"Name = \"{name}\"");

    static readonly Gen<Layer> Linear = Gen.Select(Int, Int, Optional(Gen.Bool), StateName, Gen.Frequency((12, Gen.Const(false)), (1, Gen.Const(true))),
        (i, o, bias, name, tiedToNothing) => new Layer(
            $"Linear({WithName(Arguments(i.Text + ", " + o.Text, bias is { } b ? $"Bias = {(b ? "true" : "false")}" : "", tiedToNothing ? "TiedTo = \"Nowhere\"" : ""), name)})",
            "Linear", i.Value >= 1 && o.Value >= 1 && !tiedToNothing, name, tiedToNothing ? "Nowhere" : null,
            (double)i.Value * o.Value + (bias ?? true ? o.Value : 0)));

    static readonly Gen<Layer> Embedding = Gen.Select(Int, Int, StateName, (c, d, name) =>
        new Layer($"Embedding({WithName(c.Text + ", " + d.Text, name)})", "Embedding", c.Value >= 1 && d.Value >= 1, name, Parameters: (double)c.Value * d.Value));

    static readonly Gen<Layer> LayerNorm = Gen.Select(Int, Optional(Double), StateName, (d, eps, name) =>
        new Layer($"LayerNorm({WithName(Arguments(d.Text, Named("Eps", eps)), name)})", "LayerNorm", d.Value >= 1 && (eps?.Value ?? 1e-5) > 0, name, Parameters: 2.0 * d.Value));

    static readonly Gen<Layer> RmsNorm = Gen.Select(Int, Optional(Double), StateName, (d, eps, name) =>
        new Layer($"RmsNorm({WithName(Arguments(d.Text, Named("Eps", eps)), name)})", "RmsNorm", d.Value >= 1 && (eps?.Value ?? 1e-6) > 0, name, Parameters: d.Value));

    static readonly Gen<Layer> Dropout = Gen.Select(Double, StateName, (p, name) =>
        new Layer($"Dropout({WithName(p.Text, name)})", "Dropout", p.Value >= 0 && p.Value < 1, name));

    static readonly Gen<Layer> Attention = Gen.Select(
        Gen.Frequency((3, Gen.Select(Gen.Int[1, 4], Gen.Int[1, 8], (h, k) => (new IntArg(h * k), new IntArg(h)))), (1, Gen.Select(Int, Int, (d, h) => (d, h)))),
        Optional(Gen.Frequency((2, Gen.Int[1, 2].Select(i => new IntArg(i))), (1, Int))), StateName,
        (shape, kv, name) =>
        {
            long d = shape.Item1.Value, h = shape.Item2.Value, k = kv?.Value ?? h;
            bool valid = d >= 1 && h >= 1 && k >= 1 && d % h == 0 && h % k == 0;
            double qkv = valid ? (h + 2.0 * k) * (d / h) : 0;                  // c_attn's outputs; c_proj is d × d, both with biases
            return new Layer($"CausalSelfAttention({WithName(Arguments(shape.Item1.Text + ", " + shape.Item2.Text, Named("KvHeads", kv)), name)})",
                "CausalSelfAttention", valid, name, Parameters: d * qkv + qkv + (double)d * d + d);
        });

    static readonly Gen<Layer> Mlp = Gen.Select(Int, Int, Gen.OneOf("", ", Activation.Gelu", ", Activation.Relu", ", Activation.Silu", ", Activation.GeluTanh"), StateName,
        (d, hidden, activation, name) => new Layer($"Mlp({WithName(d.Text + ", " + hidden.Text + activation, name)})", "Mlp", d.Value >= 1 && hidden.Value >= 1, name,
            Parameters: 2.0 * d.Value * hidden.Value + hidden.Value + d.Value));

    static readonly Gen<Layer> Repeat = Gen.Select(Gen.Frequency((4, SmallPositive), (1, Int)), StateName, (count, name) =>
        new Layer($"Repeat({WithName(count.Text, name)})", "ModuleList<FuzzBlock>", count.Value is >= 1 and <= FamilyCases.MaxBlocks, name, Parameters: count.Value * 20.0));   // FuzzBlock: Linear(4, 4)

    static readonly Gen<Layer> AnyLayer = Gen.OneOf(Linear, Embedding, LayerNorm, RmsNorm, Dropout, Attention, Mlp, Repeat);

    /// <summary>How a member holding a layer is declared; anything but the first two is a mistake.</summary>
    internal enum MemberShape { Property, Field, WrongType, SettableProperty }

    static readonly Gen<MemberShape> Shape = Gen.Frequency(
        (10, Gen.Const(MemberShape.Property)), (2, Gen.Const(MemberShape.Field)), (1, Gen.Const(MemberShape.WrongType)), (1, Gen.Const(MemberShape.SettableProperty)));

    const string Block = """

        [Module]
        public partial class FuzzBlock
        {
            [Linear(4, 4)] public partial Linear Proj { get; }
            public Tensor Forward(Tensor x) => Proj.call(x);
        }
        """;

    /// <summary>A [Model], or a [Module] block (the same rules apply to both).</summary>
    public static readonly Gen<FuzzCase> Model = Gen.Select(
        Gen.Select(AnyLayer, Shape, (layer, shape) => (layer, shape)).Array[1, 5], ClassShapes.Gen, Gen.OneOf("Model", "Module"),
        (members, classShape, role) =>
        {
            var body = new System.Text.StringBuilder();
            var stateNames = new HashSet<string>();
            bool valid = classShape == ClassShape.Ok;
            double parameters = 0;
            for (int i = 0; i < members.Length; i++)
            {
                var (layer, shape) = members[i];
                string member = "l" + i;
                string type = shape == MemberShape.WrongType ? (layer.Type == "Dropout" ? "Linear" : "Dropout") : layer.Type;
                body.Append($"    [{layer.Attribute}] ").Append(shape switch
                {
                    MemberShape.Field => $"public readonly {type} {member};\n",
                    MemberShape.SettableProperty => $"public {type} {member} {{ get; set; }}\n",
                    _ => $"public partial {type} {member} {{ get; }}\n",
                });
                string stateName = layer.Name ?? member;
                valid &= layer.Valid && shape is MemberShape.Property or MemberShape.Field
                         && stateName.Length > 0 && !stateName.Contains('.') && stateNames.Add(stateName);
                parameters += layer.Parameters;
            }
            valid &= parameters <= MaxParameters;
            body.Append("    public Tensor Forward(Tensor x) => x;\n");
            var source = $"using ModelDsl;\nusing ModelDsl.Layers;\nusing static TorchSharp.torch;\n\n[{role}]\n"
                         + ClassShapes.Declare(classShape, "FuzzNet", body.ToString()) + "\n" + Block;
            return new FuzzCase($"[{role}]", source, valid ? Expectation.Valid : Expectation.Invalid, valid);
        });
}
