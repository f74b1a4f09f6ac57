using System.Threading.Tasks;
using ModelDsl.CodeFixes;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.CodeFixes;

public class CodeFixTests
{
    const string Gpt2 = """
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;

        """;

    [Fact]
    public Task MakesClassAndContainersPartial() => Support.CodeFixVerifier<MakePartialCodeFix>.VerifyAsync("""
        using ModelDsl;

        public static class Outer
        {
            internal class Middle
            {
                [Gpt2(Layers = 2, Dim = 64, Heads = 4)]
                class {|#0:SmallGpt|};
            }
        }
        """,
        [Diagnostic("MDSL001").WithLocation(0)
            .WithMessage("'SmallGpt' must be declared 'partial' (and so must every type that contains it) so that ModelDsl can generate the rest of it.")],
        """
        using ModelDsl;

        public static partial class Outer
        {
            internal partial class Middle
            {
                [Gpt2(Layers = 2, Dim = 64, Heads = 4)]
                partial class SmallGpt;
            }
        }
        """);

    [Fact]
    public Task SetsRankToTheLargestValidValue() => Support.CodeFixVerifier<LargestValidRankCodeFix>.VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA({|#0:rank: 100|}, Alpha = 16)]
        public partial class Setup;
        """,
        [Diagnostic("MDSL101").WithLocation(0)
            .WithMessage("LoRA rank 100 exceeds the smaller dimension (64) of 'transformer.h.0.attn.c_attn' [192 × 64]; the largest valid rank is 64.")],
        Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA({|#0:rank: 64|}, Alpha = 16)]
        public partial class Setup;
        """,
        // The largest valid rank is still not a low rank: the warning remains, and says so.
        Diagnostic("MDSL102").WithLocation(0)
            .WithMessage("LoRA rank 64 is at least half the smaller dimension (64) of 'transformer.h.0.attn.c_attn'; such an update is not low-rank and saves little over training the layer."));

    [Fact]
    public Task ReplacesUnknownTargetWithClosestName() => Support.CodeFixVerifier<ClosestTargetCodeFix>.VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(8, Targets = ["c_proj", {|#0:"c_atn"|}])]
        public partial class Setup;
        """,
        [Diagnostic("MDSL105").WithLocation(0)
            .WithMessage("The LoRA target \"c_atn\" matches no layer of 'SmallGpt'; closest names: \"c_attn\", \"c_fc\", \"c_proj\".")],
        Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(8, Targets = ["c_proj", "c_attn"])]
        public partial class Setup;
        """);
}
