using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using ModelDsl.CodeFixes;
using ModelDsl.Generators.Tests.Support;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.CodeFixes;

/// <summary>
/// The code fixes in the IDE path: the generator runs as well and code uses the generated members, as a user's does.
/// The diagnostic must be on the offending argument (not buried under C# errors about missing members), the fix must
/// still apply, and the fixed code must compile with no C# error.
/// </summary>
public class CodeFixOverGeneratedCodeTests
{
    const string Gpt2 = """
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;

        """;

    static string PartialMessage(string type) =>
        $"'{type}' must be declared 'partial' (and so must every type that contains it) so that ModelDsl can generate the rest of it.";

    const string UseSetup = "\npublic static class Use { public static string Run(SmallGpt m) => new Setup(m).Summary(); }\n";

    [Fact]
    public Task RankFixAppliesWhileTheSetupIsUsed() => CodeFixVerifier<LargestValidRankCodeFix>.VerifyWithGeneratorAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA({|#0:rank: 100|}, Alpha = 16)]
        public partial class Setup;
        """ + UseSetup,
        [Diagnostic("MDSL101").WithLocation(0)
            .WithMessage("LoRA rank 100 exceeds the smaller dimension (64) of 'transformer.h.0.attn.c_attn' [192 × 64]; the largest valid rank is 64.")],
        Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA({|#0:rank: 64|}, Alpha = 16)]
        public partial class Setup;
        """ + UseSetup,
        Diagnostic("MDSL102").WithLocation(0)
            .WithMessage("LoRA rank 64 is at least half the smaller dimension (64) of 'transformer.h.0.attn.c_attn'; such an update is not low-rank and saves little over training the layer."));

    [Fact]
    public Task TargetFixAppliesWhileTheSetupIsUsed() => CodeFixVerifier<ClosestTargetCodeFix>.VerifyWithGeneratorAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(8, Targets = ["c_proj", {|#0:"c_atn"|}])]
        public partial class Setup;
        """ + UseSetup,
        [Diagnostic("MDSL105").WithLocation(0)
            .WithMessage("The LoRA target \"c_atn\" matches no layer of 'SmallGpt'; closest names: \"c_attn\", \"c_fc\", \"c_proj\".")],
        Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(8, Targets = ["c_proj", "c_attn"])]
        public partial class Setup;
        """ + UseSetup);

    [Fact]
    public Task MakePartialAppliesToAModelThatIsUsed() => CodeFixVerifier<MakePartialCodeFix>.VerifyWithGeneratorAsync("""
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4)]
        public class {|#0:SmallGpt|};
        public static class Use { public static object Run() => new SmallGpt(); }
        """,
        [Diagnostic("MDSL001").WithLocation(0).WithMessage(PartialMessage("SmallGpt"))],
        """
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4)]
        public partial class SmallGpt;
        public static class Use { public static object Run() => new SmallGpt(); }
        """);

    const string UseClient = "\npublic static class Use { public static string Run(Client c) => c.Ask(\"x\"); }\n";

    // A client with partial methods that is not partial: C# refuses the methods itself (CS0751, and CS8795 as no part can
    // implement them) and stops before analyzers run, so MDSL001 comes from the generator. Its location carries the file
    // path and span but no syntax tree (generator diagnostics are equatable data), and the testing framework offers fixes
    // only for diagnostics in a tree, so the fix is applied here to the diagnostic exactly as the generator reports it.
    [Fact]
    public async Task MakePartialAppliesToAClientThatIsUsed()
    {
        var before = Gpt2 + """
            [InferenceClient<SmallGpt>]
            public class Client
            {
                [Prompt("Q: {question}\nA:")] public partial string Ask(string question);
            }
            """ + UseClient;
        var (result, output) = GeneratorHarness.Run(before);
        var reported = Assert.Single(result.Diagnostics);
        Assert.Equal("MDSL001", reported.Id);
        Assert.Equal(PartialMessage("Client"), reported.GetMessage());
        Assert.Equal("Client", before.Substring(reported.Location.SourceSpan.Start, reported.Location.SourceSpan.Length));
        Assert.Equal(["CS0751", "CS8795"], Errors(output).Select(d => d.Id).Order());

        var fixedSource = await ApplyAsync(new MakePartialCodeFix(), before, reported);
        Assert.Equal(before.Replace("public class Client", "public partial class Client"), fixedSource);
        var (after, compiled) = GeneratorHarness.Run(fixedSource);
        Assert.Empty(after.Diagnostics);
        Assert.Empty(Errors(compiled));
        Assert.Empty(await AnalyzerRunner.AfterGenerationAsync(fixedSource));
    }

    static Diagnostic[] Errors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();

    // The fix's one action applied to the source as document Input0.cs (the path GeneratorHarness gives it).
    static async Task<string> ApplyAsync(CodeFixProvider fix, string source, Diagnostic diagnostic)
    {
        using var workspace = new AdhocWorkspace();
        var document = workspace.CurrentSolution.AddProject("Fix", "Fix", LanguageNames.CSharp)
            .AddDocument("Input0.cs", source, filePath: "Input0.cs");
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var operations = await Assert.Single(actions).GetOperationsAsync(CancellationToken.None);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution.GetDocument(document.Id)!;
        return (await changed.GetTextAsync()).ToString();
    }

    [Fact]
    public Task MaxNewTokensFixAppliesWhileTheClientIsUsed() => CodeFixVerifier<MaxNewTokensCodeFix>.VerifyWithGeneratorAsync(Gpt2 + """
        public sealed record Person(string Name, int Age);
        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Who is in {text}?", {|#0:MaxNewTokens = 3|})] public partial Person Who(string text);
        }
        public static class Use { public static Person Run(Client c) => c.Who("x"); }
        """,
        [Diagnostic("MDSL211").WithLocation(0).WithSeverity(DiagnosticSeverity.Warning).WithMessage(
            "The smallest JSON 'Who' can answer (19 characters) takes at least 4 tokens with a GPT-2, Llama 3 or Qwen tokenizer, but MaxNewTokens = 3, so every answer would be cut off; raise MaxNewTokens to at least 4 or answer a smaller type.")],
        Gpt2 + """
        public sealed record Person(string Name, int Age);
        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Who is in {text}?", MaxNewTokens = 4)] public partial Person Who(string text);
        }
        public static class Use { public static Person Run(Client c) => c.Who("x"); }
        """);
}
