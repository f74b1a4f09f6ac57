using System.Threading.Tasks;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>MDSL140–144: soft prompts (prompt tuning).</summary>
public class SoftPromptDiagnosticsTests
{
    const string Gpt2 = """
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;

        """;

    [Fact]
    public Task NoTokens() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [SoftPrompt({|#0:0|})]
        public partial class Prompt;
        """,
        Diagnostic("MDSL140").WithLocation(0).WithMessage("A soft prompt needs at least 1 virtual token, not 0 (20 is a common choice)."));

    [Fact]
    public Task TokensFillTheContext() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [SoftPrompt({|#0:tokens: 32|})]
        public partial class Prompt;
        """,
        Diagnostic("MDSL141").WithLocation(0)
            .WithMessage("32 virtual tokens leave no room for input in the 32-token context window of 'SmallGpt'; use at most 31."));

    [Fact]
    public Task InitTextWithRandomInit() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [SoftPrompt(8, Init = PromptInit.Random, {|#0:InitText = "Classify:"|})]
        public partial class Prompt;
        """,
        Diagnostic("MDSL142").WithLocation(0)
            .WithMessage("InitText is ignored with Init = PromptInit.Random; use Init = PromptInit.Text or remove InitText."));

    [Fact]
    public Task TwoSoftPrompts() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [SoftPrompt(8)]
        [{|#0:SoftPrompt(4)|}]
        public partial class Prompt;
        """,
        Diagnostic("MDSL143").WithLocation(0)
            .WithMessage("A setup has one soft prompt; merge the two [SoftPrompt] attributes or declare a second setup."));

    [Fact]
    public Task TextInitWithoutText() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [SoftPrompt(8, {|#0:Init = PromptInit.Text|})]
        public partial class Prompt;
        """,
        Diagnostic("MDSL144").WithLocation(0)
            .WithMessage("Init = PromptInit.Text needs InitText, e.g. InitText = \"Classify the sentiment:\"."));

    [Fact]
    public Task ValidPromptHasNoDiagnostics() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [SoftPrompt(tokens: 20, InitText = "Answer the question.")]
        public partial class Prompt;
        """);
}
