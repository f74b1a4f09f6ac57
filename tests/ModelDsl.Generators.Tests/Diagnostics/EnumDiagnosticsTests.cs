using System.Threading.Tasks;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>MDSL026: an enum argument cast from a number that names no member (C# accepts the cast; the declaration must not).</summary>
public class EnumDiagnosticsTests
{
    const string Gpt2 = """
        using ModelDsl;
        using ModelDsl.Layers;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;

        """;

    [Fact]
    public Task AdapterPlacementOutOfRange() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [Adapter(Bottleneck = 8, Placement = {|#0:(AdapterPlacement)7|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL026").WithLocation(0).WithMessage(
            "Placement = (AdapterPlacement)7 is not a member of AdapterPlacement: [Adapter] would not know what it means. " +
            "Use one of AdapterPlacement.Houlsby, AdapterPlacement.Pfeiffer."));

    [Fact]
    public Task PromptInitOutOfRange() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [SoftPrompt(8, Init = {|#0:(PromptInit)7|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL026").WithLocation(0).WithMessage(
            "Init = (PromptInit)7 is not a member of PromptInit: [SoftPrompt] would not know what it means. " +
            "Use one of PromptInit.Random, PromptInit.Text, PromptInit.SampleVocab."));

    [Fact]
    public Task ActivationOutOfRange() => VerifyAsync("""
        using ModelDsl;
        using ModelDsl.Layers;

        [Model]
        public partial class Net
        {
            [Mlp(16, 32, {|#0:(Activation)9|})] public partial Mlp Mlp { get; }
        }
        """,
        Diagnostic("MDSL026").WithLocation(0).WithMessage(
            "(Activation)9 is not a member of Activation: [Mlp] would not know what it means. " +
            "Use one of Activation.Gelu, Activation.GeluTanh, Activation.Relu, Activation.Silu."));

    [Fact]
    public Task DefinedMembersAndConstantsThatNameThemPass() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [Adapter(Bottleneck = 8, Placement = (AdapterPlacement)1)]
        public partial class Setup;
        """);
}
