using System.Threading.Tasks;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>
/// The shared family rules on the new families and the new arguments: bounds the runtime refuses too (infinite values,
/// absurd sizes, odd head widths), and rotary-scaling arguments that would do nothing.
/// </summary>
public class NewFamilyDiagnosticsTests
{
    [Fact]
    public Task InfiniteNormEpsIsAnErrorAsTheRuntimeRefusesIt() => VerifyAsync("""
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, {|#0:NormEps = double.PositiveInfinity|})]
        public partial class SmallGpt;
        """,
        Diagnostic("MDSL019").WithLocation(0).WithMessage("NormEps Infinity must be a finite number greater than 0 (a small positive number such as 1e-5)."));

    [Fact]
    public Task ModelTooLarge() => VerifyAsync("""
        using ModelDsl;
        [{|#0:Llama(Layers = 1000, Dim = 65536, Heads = 64, Ffn = 1000000)|}]
        public partial class Huge;
        """,
        Diagnostic("MDSL020").WithLocation(0).WithMessage(
            "The sizes (Layers = 1000, Dim = 65536, Ffn = 1000000, Vocab = 32000) would need 2.138E+014 parameters (855.2 TB in fp32), over the 1 TB limit; check these sizes for a typo."));

    [Fact]
    public Task RopeFactorWithoutScaling() => VerifyAsync("""
        using ModelDsl;
        [Llama(Layers = 2, Dim = 64, Heads = 4, Ffn = 128, Vocab = 100, Context = 64, {|#0:RopeFactor = 8|})]
        public partial class Scaled;
        """,
        Diagnostic("MDSL021").WithLocation(0).WithMessage(
            "RopeFactor has no effect without RopeScaling; set RopeScaling = RopeScaling.Llama3 (or RopeScaling.Linear) or remove RopeFactor."));

    [Fact]
    public Task Llama3BandsOutOfOrder() => VerifyAsync("""
        using ModelDsl;
        [Llama(Layers = 2, Dim = 64, Heads = 4, Ffn = 128, Vocab = 100, Context = 64, RopeScaling = RopeScaling.Llama3, LowFreqFactor = 4, {|#0:HighFreqFactor = 1|})]
        public partial class Scaled;
        """,
        Diagnostic("MDSL021").WithLocation(0).WithMessage(
            "HighFreqFactor = 1 must be greater than LowFreqFactor = 4: the band between them is interpolated (Llama 3 uses 1 and 4)."));

    [Fact]
    public Task LinearScalingIgnoresTheLlama3Bands() => VerifyAsync("""
        using ModelDsl;
        [Llama(Layers = 2, Dim = 64, Heads = 4, Ffn = 128, Vocab = 100, Context = 64, RopeScaling = RopeScaling.Linear, RopeFactor = 2, {|#0:OriginalContext = 32|})]
        public partial class Scaled;
        """,
        Diagnostic("MDSL021").WithLocation(0).WithMessage(
            "OriginalContext is used by llama3 scaling only; set RopeScaling = RopeScaling.Llama3 or remove OriginalContext."));

    [Fact]
    public Task ExplicitOddHeadDim() => VerifyAsync("""
        using ModelDsl;
        [Qwen3(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, {|#0:HeadDim = 15|}, Ffn = 128, Vocab = 100, Context = 64)]
        public partial class TinyQwen3;
        """,
        Diagnostic("MDSL008").WithLocation(0).WithMessage("HeadDim = 15 must be even for rotary embeddings."));

    [Fact]
    public Task ExplicitHeadDimNeedsNoDivisibility() => VerifyAsync("""
        using ModelDsl;
        [Gemma(Layers = 2, Dim = 60, Heads = 8, KvHeads = 1, HeadDim = 16, Ffn = 128, Vocab = 100, Context = 64)]
        public partial class TinyGemma;
        """);

    [Fact]
    public Task NegativeSlidingWindow() => VerifyAsync("""
        using ModelDsl;
        [Mistral(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 128, Vocab = 100, Context = 64, {|#0:SlidingWindow = -1|})]
        public partial class TinyMistral;
        """,
        Diagnostic("MDSL007").WithLocation(0).WithMessage("SlidingWindow is -1; it must be at least 1, or 0 for full attention."));

    [Fact]
    public Task Phi3KvHeadsMustDivideHeads() => VerifyAsync("""
        using ModelDsl;
        [Phi3(Layers = 2, Dim = 64, Heads = 4, {|#0:KvHeads = 3|}, Ffn = 128, Vocab = 100, Context = 64)]
        public partial class TinyPhi3;
        """,
        Diagnostic("MDSL009").WithLocation(0).WithMessage("KvHeads = 3 must divide Heads = 4; try 2."));

    [Fact]
    public Task LoraTargetsAreCheckedAgainstPhi3sFusedNames() => VerifyAsync("""
        using ModelDsl;
        [Phi3(Layers = 2, Dim = 64, Heads = 4, KvHeads = 4, Ffn = 128, Vocab = 100, Context = 64)]
        public partial class TinyPhi3;

        [FineTune<TinyPhi3>]
        [LoRA(4, Targets = [{|#0:"q_proj"|}])]
        public partial class Setup;
        """,
        Diagnostic("MDSL105").WithLocation(0).WithMessage("The LoRA target \"q_proj\" matches no layer of 'TinyPhi3'; closest names: \"o_proj\", \"qkv_proj\", \"down_proj\"."));

    [Fact]
    public Task NewFamiliesWithTheirDefaultsAndTinySizesHaveNoDiagnostics() => VerifyAsync(Support.Declarations.NewFamilies + """

        [Mistral] public partial class Mistral7B;
        [Qwen2] public partial class Qwen25Half;
        [Qwen3] public partial class Qwen3Small;
        [Phi3] public partial class Phi3Mini;
        [Gemma] public partial class Gemma2B;
        """);
}
