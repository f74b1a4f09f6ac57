using System.Threading.Tasks;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>The structure rules as they apply to [Gpt2] and [Llama] declarations.</summary>
public class FamilyDiagnosticsTests
{
    [Fact]
    public Task Gpt2ClassNotPartial() => VerifyAsync("""
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4)]
        public class {|#0:SmallGpt|};
        """,
        Diagnostic("MDSL001").WithLocation(0)
            .WithMessage("'SmallGpt' must be declared 'partial' (and so must every type that contains it) so that ModelDsl can generate the rest of it."));

    [Fact]
    public Task Gpt2LayersZero() => VerifyAsync("""
        using ModelDsl;
        [Gpt2({|#0:Layers = 0|}, Dim = 64, Heads = 4)]
        public partial class SmallGpt;
        """,
        Diagnostic("MDSL007").WithLocation(0).WithMessage("Layers is 0; it must be at least 1."));

    [Fact]
    public Task Gpt2HeadsDoNotDivideWidth() => VerifyAsync("""
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, {|#0:Heads = 6|})]
        public partial class SmallGpt;
        """,
        Diagnostic("MDSL008").WithLocation(0).WithMessage("Heads = 6 must divide Dim = 64; try 4."));

    [Fact]
    public Task Gpt2HeadsFarAboveWidthSuggestsTheWidth() => VerifyAsync("""
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 1 << 30, {|#0:Heads = int.MaxValue - 1|})]
        public partial class SmallGpt;
        """,
        Diagnostic("MDSL008").WithLocation(0).WithMessage("Heads = 2147483646 must divide Dim = 1073741824; try 1073741824."));

    [Fact]
    public Task Gpt2NormEpsNegative() => VerifyAsync("""
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, {|#0:NormEps = -1e-5|})]
        public partial class SmallGpt;
        """,
        Diagnostic("MDSL019").WithLocation(0).WithMessage("NormEps -1E-05 must be greater than 0."));

    [Fact]
    public Task LlamaOddHeadWidth() => VerifyAsync("""
        using ModelDsl;
        [Llama(Layers = 2, Dim = 60, {|#0:Heads = 4|}, Ffn = 128, Vocab = 100, Context = 64)]
        public partial class TinyLlama;
        """,
        Diagnostic("MDSL008").WithLocation(0).WithMessage("Dim / Heads = 15 must be even for rotary embeddings."));

    [Fact]
    public Task LlamaKvHeadsDoNotDivideHeads() => VerifyAsync("""
        using ModelDsl;
        [Llama(Layers = 2, Dim = 64, Heads = 4, {|#0:KvHeads = 3|}, Ffn = 128, Vocab = 100, Context = 64)]
        public partial class TinyLlama;
        """,
        Diagnostic("MDSL009").WithLocation(0).WithMessage("KvHeads = 3 must divide Heads = 4; try 2."));

    [Fact]
    public Task LlamaRopeThetaZero() => VerifyAsync("""
        using ModelDsl;
        [Llama(Layers = 2, Dim = 64, Heads = 4, Ffn = 128, Vocab = 100, Context = 64, {|#0:RopeTheta = 0|})]
        public partial class TinyLlama;
        """,
        Diagnostic("MDSL019").WithLocation(0).WithMessage("RopeTheta 0 must be greater than 0."));

    [Fact]
    public Task Gpt2WithMoreBlocksThanLaidOut() => VerifyAsync("""
        using ModelDsl;
        [Gpt2({|#0:Layers = int.MaxValue|}, Dim = 64, Heads = 4)]
        public partial class SmallGpt;

        [FineTune<SmallGpt>]
        [LoRA(8)]
        public partial class Setup;
        """,
        // The setup waits for its model: only the model's own mistake is reported, and describing it does not hang.
        Diagnostic("MDSL011").WithLocation(0).WithMessage("Layers is 2147483647; ModelDsl lays out at most 1024 blocks."));

    [Fact]
    public Task LlamaWithZeroHeadsUnderASetup() => VerifyAsync("""
        using ModelDsl;
        [Llama(Layers = 2, Dim = 64, {|#0:Heads = 0|}, Ffn = 128, Vocab = 100, Context = 64)]
        public partial class TinyLlama;

        [FineTune<TinyLlama>]
        [LoRA(8)]
        public partial class Setup;
        """,
        Diagnostic("MDSL007").WithLocation(0).WithMessage("Heads is 0; it must be at least 1."));

    [Fact]
    public Task ValidFamiliesHaveNoDiagnostics() => VerifyAsync(Support.Declarations.Families);
}
