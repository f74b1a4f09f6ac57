using System.Threading.Tasks;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>MDSL170–175: preference tuning declared on a setup ([Dpo], [RewardHead]).</summary>
public class PreferenceDiagnosticsTests
{
    const string Gpt2 = """
        using ModelDsl;
        using ModelDsl.Layers;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;

        """;

    const string Llama = """
        using ModelDsl;
        using ModelDsl.Layers;
        [Llama(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 176, Vocab = 500, Context = 128)]
        public partial class SmallLlama;

        """;

    const string Custom = """

        [Model]
        public partial class Classifier
        {
            [Linear(16, 16)] public partial Linear Hidden { get; }
            [Linear(16, 8)] public partial Linear Head { get; }
        }

        """;

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("double.NaN", "NaN")]
    [InlineData("double.PositiveInfinity", "Infinity")]
    public Task BetaNotAPositiveFiniteNumber(string written, string shown) => VerifyAsync(Gpt2 + $$"""
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Dpo({|#0:Beta = {{written}}|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL170").WithLocation(0)
            .WithMessage($"Beta = {shown}: β must be a positive, finite number (it scales the implicit reward; TRL's default is 0.1)."));

    [Theory]
    [InlineData("-0.1", "-0.1")]
    [InlineData("0.5", "0.5")]
    [InlineData("double.NaN", "NaN")]
    public Task LabelSmoothingOutsideZeroToAHalf(string written, string shown) => VerifyAsync(Gpt2 + $$"""
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Dpo({|#0:LabelSmoothing = {{written}}|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL171").WithLocation(0)
            .WithMessage($"LabelSmoothing = {shown} must lie in [0, 0.5): it is the assumed share of flipped labels, and at 0.5 chosen and rejected are indistinguishable."));

    [Fact]
    public Task LabelSmoothingWithTheIpoLoss() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Dpo({|#0:LabelSmoothing = 0.1|}, Loss = DpoLossType.Ipo)]
        public partial class Setup;
        """,
        Diagnostic("MDSL172").WithLocation(0)
            .WithMessage("LabelSmoothing = 0.1 with the IPO loss: label smoothing applies to the sigmoid loss only; set it to 0 or use the sigmoid loss."));

    [Fact]
    public Task DpoOnBitFitOverAModelWithoutBiases() => VerifyAsync(Llama + """
        [FineTune<SmallLlama>]
        [BitFit]
        [{|#0:Dpo|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL173").WithLocation(0)
            .WithMessage("[Dpo] on a setup that trains no parameter ([BitFit] finds no bias in 'SmallLlama'): the policy could not move from the reference. Choose a method that trains something, e.g. [LoRA(8)]."));

    [Fact]
    public Task RewardHeadOnBitFitOverAModelWithoutBiasesTrainsItsHead() => VerifyAsync(Llama + """
        [FineTune<SmallLlama>]
        [BitFit]
        [RewardHead]
        public partial class Setup;
        """);

    [Fact]
    public Task DpoOnACustomModel() => VerifyAsync(Gpt2 + Custom + """
        [FineTune<Classifier>]
        [LoRA(2, Targets = ["head"])]
        [{|#0:Dpo|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL174").WithLocation(0)
            .WithMessage("[Dpo] needs the next-token logits of a causal language model; 'Classifier' has a Forward of its own. Fine-tune a [Gpt2], [Llama] or other family model, or implement ModelDsl.Models.ICausalLanguageModel on it."));

    [Fact]
    public Task RewardHeadOnACustomModel() => VerifyAsync(Gpt2 + Custom + """
        [FineTune<Classifier>]
        [LoRA(2, Targets = ["head"])]
        [{|#0:RewardHead|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL174").WithLocation(0)
            .WithMessage("[RewardHead] needs the final hidden states of a language model; 'Classifier' has a Forward of its own. Fine-tune a [Gpt2], [Llama] or other family model, or implement ModelDsl.Models.IHiddenStateModel on it."));

    [Fact]
    public Task RewardHeadOnASoftPrompt() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [SoftPrompt(8)]
        [{|#0:RewardHead|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL175").WithLocation(0)
            .WithMessage("[RewardHead] cannot sit on a prompt-tuning setup: the virtual tokens come before the trunk, which a …ForSequenceClassification checkpoint cannot hold, and the runtime does not score through them; use [LoRA] or [Adapter] for the reward model."));

    [Fact]
    public Task LossThatIsNoMemberIsRefusedByName() => Support.GeneratorReported.AssertAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Dpo(Loss = (DpoLossType)7)]
        public partial class Setup;
        """,
        "MDSL169", "The arguments of [Dpo] must be compile-time constants of the declared types; Loss is DpoLossType.Sigmoid or DpoLossType.Ipo.",
        "Dpo(Loss = (DpoLossType)7)");

    [Fact]
    public Task DpoOnASoftPromptIsValid() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [SoftPrompt(8)]
        [Dpo(Beta = 0.5, Loss = DpoLossType.Ipo)]
        public partial class Setup;
        """);

    [Fact]
    public Task DpoAndRewardHeadOnLoraAreValidAndUsable() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Dpo(Beta = 0.2, LabelSmoothing = 0.1)]
        [RewardHead]
        public partial class Setup;

        public static class Usage
        {
            public static double Beta => Setup.DpoOptions.Beta;
            public static object Objective(Setup setup, ModelDsl.Data.TokenizedPreferences data) => setup.DpoObjective(data);
            public static object Reward(Setup setup) => setup.CreateRewardModel();
        }
        """);
}
