using System.Linq;
using CsCheck;
using static ModelDsl.Generators.Tests.Fuzz.FuzzValues;

namespace ModelDsl.Generators.Tests.Fuzz;

/// <summary>
/// [FineTune&lt;T&gt;] setups with random methods over a GPT-2, a Llama, a custom model or a plain class. The oracle knows only
/// the mistakes it put in on purpose: anything else is <see cref="Expectation.Unknown"/>.
/// </summary>
internal static class SetupCases
{
    /// <summary>The model a setup fine-tunes: its declaration and what the oracle needs to know about it.</summary>
    internal sealed record Base(string Declaration, bool Valid, bool IsFamily, long Dim, long Context, long Blocks, string[] LoraTargets, string[] Parameters);

    static readonly Gen<Base> Gpt2 = FamilyCases.Gpt2Arguments.Select(a => new Base($"[{a.Attribute}]\npublic partial class FuzzModel;", a.IsValid, true,
        a.Dim, a.Context_, a.Layers_, ["c_attn", "attn.c_proj", "c_fc"], ["ln_f", "h.0.*", "wte", "c_attn.bias"]));

    static readonly Gen<Base> Llama = FamilyCases.DecoderArguments("Llama").Select(a => new Base($"[{a.Attribute}]\npublic partial class FuzzModel;", a.IsValid, true,
        a.D, a.C, a.L, ["q_proj", "v_proj", "o_proj", "up_proj"], ["norm", "layers.0.*", "embed_tokens"]));

    static readonly Gen<Base> Phi3 = FamilyCases.DecoderArguments("Phi3").Select(a => new Base($"[{a.Attribute}]\npublic partial class FuzzModel;", a.IsValid, true,
        a.D, a.C, a.L, ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"], ["norm", "layers.0.*", "lm_head"]));

    static readonly Gen<Base> Qwen3 = FamilyCases.DecoderArguments("Qwen3").Select(a => new Base($"[{a.Attribute}]\npublic partial class FuzzModel;", a.IsValid, true,
        a.D, a.C, a.L, ["q_proj", "k_proj", "gate_proj"], ["q_norm", "layers.0.*", "embed_tokens"]));

    static readonly Base Custom = new("""
        [Model]
        public partial class FuzzModel
        {
            [Embedding(100, 16)] public partial Embedding E0 { get; }
            [Linear(16, 16)] public partial Linear Hidden { get; }
            [Linear(16, 4)] public partial Linear Head { get; }
            public Tensor Forward(Tensor x) => Head.call(Hidden.call(E0.call(x)));
        }
        """, true, false, 16, 0, 0, ["hidden", "head"], ["hidden", "head.bias", "e0"]);

    static readonly Base NotAModel = new("public class FuzzModel { }", false, false, 0, 0, 0, ["hidden"], ["hidden"]);

    static readonly Gen<Base> AnyBase = Gen.Frequency((4, Gpt2), (2, Llama), (1, Phi3), (1, Qwen3), (2, Gen.Const(Custom)), (1, Gen.Const(NotAModel)));

    /// <summary>A method attribute and whether the oracle knows it to be wrong on <paramref name="b"/>.</summary>
    internal sealed record Method(string Name, string Attribute, bool KnownInvalid);

    static Gen<Method> Lora(Base b) => Gen.Select(
        Int, Optional(Double), Optional(Double),
        OptionalRef(Gen.Frequency(
            (40, Gen.OneOf(b.LoraTargets.Concat(["nope", "ln_1", "lm_head", "c_(attn", "h\\.0\\..*"]).ToArray())),
            (1, Gen.Const("(.*)*x"))).Array[1, 3]), // backtracks catastrophically: costs a regex timeout, so rare
        OptionalRef(Gen.OneOf(-1, 0, 1, 100).Array[1, 2]), Optional(Gen.Bool),
        (rank, alpha, dropout, targets, layers, rs) => new Method("LoRA",
            $"LoRA({Arguments(rank.Text, Named("Alpha", alpha), Named("Dropout", dropout),
                targets is { } t ? "Targets = [" + string.Join(", ", t.Select(x => "\"" + x.Replace("\\", "\\\\") + "\"")) + "]" : "",
                layers is { } l ? "Layers = [" + string.Join(", ", l) + "]" : "",
                rs is { } r ? $"UseRsLora = {(r ? "true" : "false")}" : "")})",
            rank.Value < 1 || !((alpha?.Value ?? 8) > 0) || !((dropout?.Value ?? 0) is >= 0 and < 1)
            || (targets?.Contains("nope") ?? false) || (layers?.Any(i => i < 0 || i >= b.Blocks) ?? false)));

    static Gen<Method> SoftPrompt(Base b) => Gen.Select(
        Gen.Frequency((3, Gen.Int[1, 40].Select(i => new IntArg(i))), (1, Int)),
        OptionalRef(Gen.OneOf("Random", "Text", "SampleVocab")), Gen.OneOf(new string?[] { null, "", "Classify:" }),
        (tokens, init, text) => new Method("SoftPrompt",
            $"SoftPrompt({Arguments(tokens.Text, init is null ? "" : "Init = PromptInit." + init, text is null ? "" : $"InitText = \"{text}\"")})",
            !b.IsFamily || tokens.Value < 1 || tokens.Value >= b.Context
            || (init == "Text" && string.IsNullOrEmpty(text)) || (init == "Random" && !string.IsNullOrEmpty(text))));

    static Gen<Method> Adapter(Base b) => Gen.Select(Optional(Gen.Frequency((3, Gen.Int[1, 8].Select(i => new IntArg(i))), (1, Int))), OptionalRef(Gen.OneOf("Houlsby", "Pfeiffer")),
        (bottleneck, placement) => new Method("Adapter",
            $"Adapter({Arguments(Named("Bottleneck", bottleneck), placement is null ? "" : "Placement = AdapterPlacement." + placement)})",
            !b.IsFamily || (bottleneck?.Value ?? 64) < 1 || (bottleneck?.Value ?? 64) >= b.Dim));

    static Gen<Method> Selective(Base b) => Gen.Frequency(
            (1, Gen.Const((string[]?)null)), (4, Gen.OneOf(b.Parameters.Append("nope").ToArray()).Array[0, 2].Select(a => (string[]?)a)))
        .Select(train => new Method("Selective",
            train is null ? "Selective" : $"Selective(Train = [{string.Join(", ", train.Select(t => "\"" + t + "\""))}])",
            train is null || train.Length == 0 || train.Contains("nope")));

    // Preference tuning beside the method. Only its arguments and the model kind are predicted; a setup that trains
    // nothing (BitFit over a model without biases) is left to "nothing crashes".
    static Gen<Method> Dpo(Base b) => Gen.Select(Optional(Double), Optional(Double), OptionalRef(Gen.OneOf("Sigmoid", "Ipo")),
        (beta, smoothing, loss) => new Method("Dpo",
            $"Dpo({Arguments(Named("Beta", beta), Named("LabelSmoothing", smoothing), loss is null ? "" : "Loss = DpoLossType." + loss)})",
            !b.IsFamily || !((beta?.Value ?? 0.1) > 0) || double.IsInfinity(beta?.Value ?? 0.1)
            || !((smoothing?.Value ?? 0) is >= 0 and < 0.5) || (loss == "Ipo" && (smoothing?.Value ?? 0) != 0)));

    static Gen<Method?> Maybe(Gen<Method> gen, int weight) => Gen.Frequency((weight, gen.Select(m => (Method?)m)), (10 - weight, Gen.Const((Method?)null)));

    public static readonly Gen<FuzzCase> Setup = AnyBase.SelectMany(b => Gen.Select(
        Maybe(Lora(b), 5), Maybe(SoftPrompt(b), 2), Maybe(Adapter(b), 2), Maybe(Selective(b), 2),
        Maybe(Gen.Const(new Method("BitFit", "BitFit", false)), 2), Maybe(Gen.Const(new Method("FullFineTune", "FullFineTune", false)), 1),
        Gen.Frequency((10, Gen.Const(ClassShape.Ok)), (1, Gen.Const(ClassShape.NotPartial)), (1, Gen.Const(ClassShape.WithConstructor))),
        Maybe(Dpo(b), 3), Gen.Frequency((7, Gen.Const(false)), (3, Gen.Const(true))),
        (lora, prompt, adapter, selective, bitFit, full, shape, dpo, rewardHead) =>
        {
            var methods = new[] { lora, prompt, adapter, selective, bitFit, full }.Where(m => m is not null).Select(m => m!).ToArray();
            var names = methods.Select(m => m.Name).ToArray();
            var preference = new[] { dpo, rewardHead ? new Method("RewardHead", "RewardHead", !b.IsFamily || prompt is not null) : null }
                .Where(m => m is not null).Select(m => m!).ToArray();
            bool knownInvalid = !b.Valid || shape != ClassShape.Ok || methods.Length == 0 || methods.Concat(preference).Any(m => m.KnownInvalid)
                                || names.Length > 1; // one method per setup
            var source = "using ModelDsl;\nusing ModelDsl.Layers;\nusing static TorchSharp.torch;\n\n" + b.Declaration + "\n\n[FineTune<FuzzModel>]\n"
                         + string.Concat(methods.Concat(preference).Select(m => $"[{m.Attribute}]\n")) + ClassShapes.Declare(shape, "FuzzSetup", null) + "\n";
            return new FuzzCase("[FineTune]", source, knownInvalid ? Expectation.Invalid : Expectation.Unknown, false);
        }));
}
