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

    const string Person = "public sealed record Person(string Name, int Age);\n[InferenceClient<SmallGpt>]\npublic partial class Client\n{\n";

    [Fact]
    public Task RaisesADeclaredMaxNewTokensToTheSmallestAnswersBound() => Support.CodeFixVerifier<MaxNewTokensCodeFix>.VerifyAsync(Gpt2 + Person + """
            [Prompt("Who is in {text}?", {|#0:MaxNewTokens = 3|})] public partial Person Who(string text);
        }
        """,
        [Diagnostic("MDSL211").WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithMessage(
            "The smallest JSON 'Who' can answer (19 characters) takes at least 4 tokens with a GPT-2, Llama 3 or Qwen tokenizer, but MaxNewTokens = 3, so every answer would be cut off; raise MaxNewTokens to at least 4 or answer a smaller type.")],
        Gpt2 + Person + """
            [Prompt("Who is in {text}?", MaxNewTokens = 4)] public partial Person Who(string text);
        }
        """);

    [Fact]
    public Task AddsMaxNewTokensWhereTheDefaultIsTooSmall() => Support.CodeFixVerifier<MaxNewTokensCodeFix>.VerifyAsync("""
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 64)]
        public partial class SmallGpt;
        public sealed record Wide(int A1, int A2, int A3, int A4, int A5, int A6, int A7, int A8, int A9, int A10, int A11, int A12);
        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Numbers in {text}:")] public partial Wide {|#0:Numbers|}(string text);
        }
        """,
        // 12 keys of a letter run and a digit run each and 12 zeros: 36 runs, so 37 tokens at least.
        [Diagnostic("MDSL211").WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithMessage(
            "The smallest JSON 'Numbers' can answer (88 characters) takes at least 37 tokens with a GPT-2, Llama 3 or Qwen tokenizer, but MaxNewTokens = 32 (the default), so every answer would be cut off; raise MaxNewTokens to at least 37 or answer a smaller type.")],
        """
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 64)]
        public partial class SmallGpt;
        public sealed record Wide(int A1, int A2, int A3, int A4, int A5, int A6, int A7, int A8, int A9, int A10, int A11, int A12);
        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Numbers in {text}:", MaxNewTokens = 37)] public partial Wide Numbers(string text);
        }
        """);
}
