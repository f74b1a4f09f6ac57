using System.Threading.Tasks;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>MDSL160–169: fine-tuning setups, their methods and how they combine.</summary>
public class SetupDiagnosticsTests
{
    const string Gpt2 = """
        using ModelDsl;
        using ModelDsl.Layers;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;

        """;

    const string Custom = """

        [Model]
        public partial class Classifier
        {
            [Linear(16, 16)] private readonly Linear hidden;
            [Linear(16, 8)] public partial Linear Head { get; }
        }

        """;

    [Fact]
    public Task SetupOverAPlainClass() => VerifyAsync(Gpt2 + """
        public class Plain { }

        [{|#0:FineTune<Plain>|}]
        [LoRA(8)]
        public partial class Setup;
        """,
        Diagnostic("MDSL160").WithLocation(0)
            .WithMessage("'Plain' is not a generated model; [FineTune<T>] needs a partial class marked [Model], [Gpt2] or [Llama]."));

    [Fact]
    public Task SetupWithoutMethod() => VerifyAsync(Gpt2 + """
        [{|#0:FineTune<SmallGpt>|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL161").WithLocation(0)
            .WithMessage("A setup needs a fine-tuning method: add [FullFineTune], [Selective], [BitFit], [LoRA], [SoftPrompt] or [Adapter]."));

    [Fact]
    public Task FullFineTuneWithLora() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [{|#0:FullFineTune|}]
        [LoRA(8)]
        public partial class Setup;
        """,
        Diagnostic("MDSL162").WithLocation(0)
            .WithMessage("[FullFineTune] already trains every parameter; remove it or remove [LoRA]."));

    [Fact]
    public Task SoftPromptWithLora() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [{|#0:SoftPrompt(8)|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL163").WithLocation(0)
            .WithMessage("[SoftPrompt] cannot be combined with [LoRA] in one setup; declare a separate setup for each method."));

    [Fact]
    public Task BottleneckAsWideAsTheModel() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [Adapter({|#0:Bottleneck = 64|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL164").WithLocation(0)
            .WithMessage("Bottleneck = 64 must be at least 1 and smaller than the model width 64; try 5."));

    [Fact]
    public Task SelectivePatternMatchingNothing() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [Selective(Train = [{|#0:"ln_x"|}])]
        public partial class Setup;
        """,
        Diagnostic("MDSL165").WithLocation(0)
            .WithMessage("The pattern \"ln_x\" selects no parameter of 'SmallGpt'; closest names: \"ln_1\", \"ln_2\", \"ln_f\"."));

    [Fact]
    public Task SelectiveWithoutPatterns() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [{|#0:Selective|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL166").WithLocation(0)
            .WithMessage("[Selective] needs at least one pattern in Train, e.g. Train = [\"ln_f\", \"h.11.*\"]."));

    [Fact]
    public Task SoftPromptOnACustomModel() => VerifyAsync(Gpt2 + Custom + """
        [FineTune<Classifier>]
        [{|#0:SoftPrompt(8)|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL167").WithLocation(0)
            .WithMessage("[SoftPrompt] prepends to the token embeddings of a [Gpt2] or [Llama] model; 'Classifier' has a Forward of its own."));

    [Fact]
    public Task LoraOnAPrivateLayer() => VerifyAsync(Gpt2 + Custom + """
        [FineTune<Classifier>]
        [LoRA(4, {|#0:Targets = ["hidden"]|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL168").WithLocation(0)
            .WithMessage("The target 'hidden' is reached through a private member; make it public or internal so the setup can adapt it."));

    [Fact]
    public Task NonConstantMethodArgument() => Support.GeneratorReported.AssertAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(Rank)]
        public partial class Setup
        {
            static int Rank = 8;
        }
        """,
        // C# stops at CS0182 (not a constant) before analyzers run: the generator reports it.
        "MDSL169", "The arguments of [LoRA] must be compile-time constants of the declared types.", "LoRA(Rank)");

    [Fact]
    public Task ValidLoraOnCustomModelHasNoDiagnostics() => VerifyAsync(Gpt2 + Custom + """
        [FineTune<Classifier>]
        [LoRA(2, Targets = ["head"])]
        public partial class Setup;
        """);

    [Fact]
    public Task ValidSelectiveHasNoDiagnostics() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [Selective(Train = ["ln_f", "h.1.*"])]
        public partial class Setup;
        """);
}
