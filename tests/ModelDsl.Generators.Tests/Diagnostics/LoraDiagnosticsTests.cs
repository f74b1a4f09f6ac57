using System.Threading.Tasks;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

public class LoraDiagnosticsTests
{
    const string Gpt2 = """
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;
        """;

    [Fact]
    public Task RankBelowOne() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA({|#0:0|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL100").WithLocation(0).WithMessage("LoRA rank 0 must be at least 1 (8 is a common choice)."));

    [Fact]
    public Task TargetMatchingNothingListsClosestNames() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, Targets = [{|#0:"c_atn"|}])]
        public partial class Setup;
        """,
        Diagnostic("MDSL105").WithLocation(0)
            .WithMessage("The LoRA target \"c_atn\" matches no layer of 'SmallGpt'; closest names: \"c_attn\", \"c_fc\", \"c_proj\"."));

    [Fact]
    public Task RankAboveSmallerDimension() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA({|#0:rank: 100|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL101").WithLocation(0)
            .WithMessage("LoRA rank 100 exceeds the smaller dimension (64) of 'transformer.h.0.attn.c_attn' [192 × 64]; the largest valid rank is 64."));

    [Fact]
    public Task RankNotLowIsAWarning() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA({|#0:32|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL102").WithLocation(0)
            .WithMessage("LoRA rank 32 is at least half the smaller dimension (64) of 'transformer.h.0.attn.c_attn'; such an update is not low-rank and saves little over training the layer."));

    [Fact]
    public Task RankNotLowCanBeSuppressed() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        #pragma warning disable MDSL102
        [LoRA(32)]
        #pragma warning restore MDSL102
        public partial class Setup;
        """);

    [Fact]
    public Task AlphaZero() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, {|#0:Alpha = 0|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL103").WithLocation(0)
            .WithMessage("Alpha = 0 must be greater than 0; PEFT's default is 8, twice the rank is common."));

    [Fact]
    public Task AlphaInfinite() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, {|#0:Alpha = double.PositiveInfinity|})]
        public partial class Setup;
        """,
        // The runtime refuses an infinite scaling; the analyzer must say so at compile time, not let it pass.
        Diagnostic("MDSL103").WithLocation(0)
            .WithMessage("Alpha = Infinity must be finite; PEFT's default is 8, twice the rank is common."));

    [Fact]
    public Task DropoutOfOne() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, {|#0:Dropout = 1|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL104").WithLocation(0).WithMessage("Dropout = 1 must be in [0, 1)."));

    [Fact]
    public Task TargetIsANorm() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, {|#0:Targets = ["ln_1"]|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL106").WithLocation(0)
            .WithMessage("The target 'transformer.h.0.ln_1' is a LayerNorm, not a linear layer; LoRA adapts linear layers such as \"c_attn\", \"c_proj\", \"c_fc\"."));

    [Fact]
    public Task TargetRegexDoesNotParse() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, {|#0:Targets = ["c_(attn"]|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL107").WithLocation(0)
            .WithMessage("The target regex \"c_(attn\" is invalid: Invalid pattern 'c_(attn' at offset 7. Not enough )'s."));

    [Fact]
    public Task TargetRegexThatBacktracksCatastrophically() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, {|#0:Targets = ["(.*)*(.*)*(.*)*x"]|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL107").WithLocation(0)
            .WithMessage("The target regex \"(.*)*(.*)*(.*)*x\" takes too long to match 'transformer.wte' (catastrophic backtracking); remove the nested quantifiers."));

    [Fact]
    public Task EntryOfAListIsNotARegex() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, Targets = ["c_attn", {|#0:"c_.*"|}])]
        public partial class Setup;
        """,
        Diagnostic("MDSL105").WithLocation(0)
            .WithMessage("The LoRA target \"c_.*\" matches no layer of 'SmallGpt'; closest names: \"c_fc\", \"c_attn\", \"c_proj\"."));

    [Fact]
    public Task LayerIndexBeyondTheBlocks() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, {|#0:Layers = [0, 5]|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL108").WithLocation(0).WithMessage("Layers contains 5, but 'SmallGpt' has blocks 0 to 1."));

    [Fact]
    public Task TargetIsTheTiedHead() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, {|#0:Targets = ["lm_head"]|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL109").WithLocation(0)
            .WithMessage("The target 'lm_head' shares its weight with the token embedding; remove it from Targets (LoRA on a tied head is not supported)."));

    [Fact]
    public Task ValidSetupHasNoDiagnostics() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, Alpha = 16, Targets = ["c_attn", "attn.c_proj"])]
        public partial class Setup;
        """);
}
