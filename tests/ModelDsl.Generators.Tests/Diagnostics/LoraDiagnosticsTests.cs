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
        [LoRA(8, {|#0:Targets = ["c_atn"]|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL105").WithLocation(0)
            .WithMessage("The LoRA target \"c_atn\" matches no layer of 'SmallGpt'; closest names: \"c_attn\", \"c_fc\", \"c_proj\"."));

    [Fact]
    public Task ValidSetupHasNoDiagnostics() => VerifyAsync(Gpt2 + """

        [FineTune<SmallGpt>]
        [LoRA(8, Alpha = 16, Targets = ["c_attn", "attn.c_proj"])]
        public partial class Setup;
        """);
}
