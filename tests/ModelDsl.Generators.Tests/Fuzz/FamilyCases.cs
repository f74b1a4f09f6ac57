using CsCheck;
using static ModelDsl.Generators.Tests.Fuzz.FuzzValues;

namespace ModelDsl.Generators.Tests.Fuzz;

/// <summary>[Gpt2] and [Llama] declarations with arbitrary sizes; validity decided from the values alone.</summary>
internal static class FamilyCases
{
    /// <summary>The most blocks ModelDsl lays out (MDSL011).</summary>
    public const long MaxBlocks = 1024;

    /// <summary>Width and heads: usually consistent (heads divides width, even head width), otherwise independent.</summary>
    static readonly Gen<(IntArg Dim, IntArg Heads)> Shape = Gen.Frequency(
        (3, Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], (h, k) => (new IntArg(h * 2 * k), new IntArg(h)))),
        (1, Gen.Select(Int, Int, (d, h) => (d, h))));

    public sealed record Gpt2Args(IntArg? Layers, (IntArg Dim, IntArg Heads)? Shape, IntArg? Vocab, IntArg? Context, DoubleArg? NormEps)
    {
        public long Layers_ => Layers?.Value ?? 12;
        public long Dim => Shape?.Dim.Value ?? 768;
        public long Heads => Shape?.Heads.Value ?? 12;
        public long Context_ => Context?.Value ?? 1024;

        public bool IsValid =>
            Layers_ is >= 1 and <= MaxBlocks && Dim >= 1 && Heads >= 1 && (Vocab?.Value ?? 50257) >= 1 && Context_ >= 1
            && Dim % Heads == 0 && (NormEps?.Value ?? 1e-5) > 0;

        public string Attribute => "Gpt2(" + Arguments(Named("Layers", Layers), Named("Dim", Shape?.Dim), Named("Heads", Shape?.Heads),
            Named("Vocab", Vocab), Named("Context", Context), Named("NormEps", NormEps)) + ")";
    }

    public static readonly Gen<Gpt2Args> Gpt2Arguments = Gen.Select(
        Optional(Gen.Frequency((4, SmallPositive), (1, Int))), Optional(Shape), Optional(Int), Optional(Gen.Frequency((3, Gen.Int[8, 64].Select(i => new IntArg(i))), (1, Int))), Optional(Double),
        (layers, shape, vocab, context, eps) => new Gpt2Args(layers, shape, vocab, context, eps));

    public sealed record LlamaArgs(IntArg? Layers, (IntArg Dim, IntArg Heads)? Shape, IntArg? KvHeads, IntArg? Ffn, IntArg? Vocab, IntArg? Context,
        DoubleArg? RopeTheta, bool? Tie, DoubleArg? NormEps)
    {
        public long Dim => Shape?.Dim.Value ?? 4096;
        public long Heads => Shape?.Heads.Value ?? 32;
        public long Kv => KvHeads?.Value is null or 0 ? Heads : KvHeads.Value.Value;
        public long Context_ => Context?.Value ?? 4096;
        public long Layers_ => Layers?.Value ?? 32;

        public bool IsValid =>
            Layers_ is >= 1 and <= MaxBlocks && Dim >= 1 && Heads >= 1 && Kv >= 1 && (Ffn?.Value ?? 11008) >= 1 && (Vocab?.Value ?? 32000) >= 1 && Context_ >= 1
            && Dim % Heads == 0 && Heads % Kv == 0 && Dim / Heads % 2 == 0
            && (RopeTheta?.Value ?? 10000) > 0 && (NormEps?.Value ?? 1e-5) > 0;

        public string Attribute => "Llama(" + Arguments(Named("Layers", Layers), Named("Dim", Shape?.Dim), Named("Heads", Shape?.Heads),
            Named("KvHeads", KvHeads), Named("Ffn", Ffn), Named("Vocab", Vocab), Named("Context", Context), Named("RopeTheta", RopeTheta),
            Tie is { } t ? $"TieEmbeddings = {(t ? "true" : "false")}" : "", Named("NormEps", NormEps)) + ")";
    }

    public static readonly Gen<LlamaArgs> LlamaArguments = Gen.Select(
        Optional(Gen.Frequency((4, SmallPositive), (1, Int))), Optional(Shape), Optional(Gen.Frequency((2, Gen.Int[0, 2].Select(i => new IntArg(i))), (1, Int))),
        Optional(Int), Optional(Int), Optional(Gen.Frequency((3, Gen.Int[8, 64].Select(i => new IntArg(i))), (1, Int))), Optional(Double), Optional(Gen.Bool), Optional(Double),
        (layers, shape, kv, ffn, vocab, context, theta, tie, eps) => new LlamaArgs(layers, shape, kv, ffn, vocab, context, theta, tie, eps));

    public static readonly Gen<FuzzCase> Gpt2 = Gen.Select(Gpt2Arguments, ClassShapes.Gen, (args, shape) =>
        Make("[Gpt2]", args.Attribute, args.IsValid, shape));

    public static readonly Gen<FuzzCase> Llama = Gen.Select(LlamaArguments, ClassShapes.Gen, (args, shape) =>
        Make("[Llama]", args.Attribute, args.IsValid, shape));

    static FuzzCase Make(string kind, string attribute, bool valid, ClassShape shape)
    {
        bool ok = valid && shape == ClassShape.Ok;
        var source = $"using ModelDsl;\n\n[{attribute}]\n{ClassShapes.Declare(shape, "Fuzzed", null)}\n";
        return new FuzzCase(kind, source, ok ? Expectation.Valid : Expectation.Invalid, ok);
    }
}
