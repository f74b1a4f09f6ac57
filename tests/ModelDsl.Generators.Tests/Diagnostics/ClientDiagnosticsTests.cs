using System.Threading.Tasks;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>MDSL200–212: inference clients and their prompt methods.</summary>
public class ClientDiagnosticsTests
{
    const string Gpt2 = """
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;

        """;

    static Task VerifyMethodAsync(string method, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        VerifyAsync(Gpt2 + "[InferenceClient<SmallGpt>]\npublic partial class Client\n{\n" + method + "\n}\n", expected);

    [Fact]
    public Task PlaceholderWithoutParameter() => VerifyMethodAsync("""
            [Prompt({|#0:"Q: {question}\nA:"|})] public partial string Ask();
        """,
        Diagnostic("MDSL200").WithLocation(0)
            .WithMessage("The prompt of 'Ask' uses {question}, but 'Ask' has no parameter 'question'; add one or fix the placeholder (the method has no text parameters)."));

    [Fact]
    public Task ParameterNotUsedIsAWarning() => VerifyMethodAsync("""
            [Prompt({|#0:"Tell a story."|})] public partial string Tell(string topic);
        """,
        Diagnostic("MDSL201").WithLocation(0)
            .WithMessage("Parameter 'topic' of 'Tell' is not used by its prompt; add {topic} to the template or remove the parameter."));

    [Fact]
    public Task UnsupportedReturnType() => VerifyMethodAsync("""
            [Prompt("Count: {text}")] public partial object {|#0:Count|}(string text);
        """,
        Diagnostic("MDSL202").WithLocation(0)
            .WithMessage("'Count' returns 'object'; a prompt method returns string, IAsyncEnumerable<string>, an enum, bool, a number, DateOnly, a list or array, or a record or class of JSON-representable members, optionally as Task<T> or ValueTask<T>."));

    [Fact]
    public Task RecordWithAMemberThatCannotBeJson() => VerifyMethodAsync("""
            public sealed record Loose(string Name, object Payload);
            [Prompt("Describe: {text}")] public partial System.Threading.Tasks.Task<Loose> {|#0:DescribeAsync|}(string text);
        """,
        Diagnostic("MDSL202").WithLocation(0)
            .WithMessage("'DescribeAsync' returns 'System.Threading.Tasks.Task<Client.Loose>'; a prompt method returns string, IAsyncEnumerable<string>, an enum, bool, a number, DateOnly, a list or array, or a record or class of JSON-representable members, optionally as Task<T> or ValueTask<T> (property 'Payload' of 'Loose': 'object' cannot be represented as JSON (use string, bool, a number, an enum, DateOnly, a list or array, or a record or class of those))."));

    [Fact]
    public Task ClientOverAPlainClass() => VerifyAsync("""
        using ModelDsl;
        public class Plain { }

        [{|#0:InferenceClient<Plain>|}]
        public partial class Client;
        """,
        Diagnostic("MDSL203").WithLocation(0)
            .WithMessage("'Plain' is not a language model; [InferenceClient<T>] needs a [Gpt2] or [Llama] model, or a [FineTune<T>] setup over one."));

    [Fact]
    public Task PromptMethodWithABody() => VerifyMethodAsync("""
            [Prompt("{q}")] public string {|#0:Ask|}(string q) => q;
        """,
        Diagnostic("MDSL204").WithLocation(0)
            .WithMessage("'Ask' must be declared 'partial' without a body (and without type or ref parameters) so that the generator implements it."));

    [Fact]
    public Task ExampleWithTwoPlaceholders() => VerifyMethodAsync("""
            [Prompt("{a} and {b}")]
            [{|#0:Example("x", "y")|}]
            public partial string Ask(string a, string b);
        """,
        Diagnostic("MDSL205").WithLocation(0)
            .WithMessage("[Example] on 'Ask' fills the template's only placeholder, but the template has 2; pass examples per call instead."));

    [Fact]
    public Task MaxNewTokensZero() => VerifyMethodAsync("""
            [Prompt("{q}", {|#0:MaxNewTokens = 0|})] public partial string Ask(string q);
        """,
        Diagnostic("MDSL206").WithLocation(0).WithMessage("MaxNewTokens = 0 on 'Ask' must be at least 1."));

    [Fact]
    public Task TopPZero() => VerifyMethodAsync("""
            [Prompt("{q}", {|#0:TopP = 0|})] public partial string Ask(string q);
        """,
        Diagnostic("MDSL207").WithLocation(0).WithMessage("TopP = 0 on 'Ask' must be in (0, 1] (1 is no limit)."));

    [Fact]
    public Task UnclosedPlaceholder() => VerifyMethodAsync("""
            [Prompt({|#0:"Q: {q"|})] public partial string Ask(string q);
        """,
        Diagnostic("MDSL208").WithLocation(0).WithMessage("The prompt of 'Ask' is malformed: the '{' at position 3 is never closed."));

    [Fact]
    public Task EnumWithoutMembers() => VerifyAsync(Gpt2 + """
        public enum Nothing { }

        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Review: {review}\nSentiment:")] public partial Nothing {|#0:Classify|}(string review);
        }
        """,
        Diagnostic("MDSL209").WithLocation(0).WithMessage("'Classify' answers with 'Nothing', which has no members to choose from."));

    [Fact]
    public Task TwoEnumMembersWithOneLabel() => VerifyAsync(Gpt2 + """
        public enum Sentiment { [System.ComponentModel.Description("good")] Positive, [System.ComponentModel.Description("good")] Glowing, Negative }

        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Review: {review}\nSentiment:")] public partial Sentiment {|#0:Classify|}(string review);
        }
        """,
        Diagnostic("MDSL210").WithLocation(0).WithMessage(
            "'Sentiment.Positive' and 'Sentiment.Glowing' of 'Classify' share the label \"good\"; the model's answer could not tell them apart, so give each its own [Description]."));

    [Fact]
    public Task ADescriptionSameAsAnotherMembersName() => VerifyAsync(Gpt2 + """
        public enum Sentiment { Positive, [System.ComponentModel.Description("Positive")] Glowing }

        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Review: {review}\nSentiment:")] public partial System.Threading.Tasks.Task<Sentiment> {|#0:ClassifyAsync|}(string review);
        }
        """,
        Diagnostic("MDSL210").WithLocation(0).WithMessage(
            "'Sentiment.Positive' and 'Sentiment.Glowing' of 'ClassifyAsync' share the label \"Positive\"; the model's answer could not tell them apart, so give each its own [Description]."));

    [Fact]
    public Task AnEmptyEnumLabel() => VerifyAsync(Gpt2 + """
        public enum Sentiment { Positive, [System.ComponentModel.Description(" ")] Negative }

        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Review: {review}\nSentiment:")] public partial Sentiment {|#0:Classify|}(string review);
        }
        """,
        Diagnostic("MDSL210").WithLocation(0).WithMessage(
            "The [Description] of 'Sentiment.Negative' is empty, so 'Classify' cannot ask the model for it; give it text or remove it to use the name."));

    [Fact]
    public Task BoolLabelsThatAreTheSame() => VerifyMethodAsync("""
            [Prompt("Is it true that {claim}?", TrueLabel = "ok", {|#0:FalseLabel = "ok"|})] public partial bool Check(string claim);
        """,
        Diagnostic("MDSL210").WithLocation(0).WithMessage(
            "TrueLabel and FalseLabel of 'Check' are both \"ok\"; the model's answer could not tell true from false, so give them different text."));

    [Fact]
    public Task AnEmptyBoolLabel() => VerifyMethodAsync("""
            [Prompt("Is it true that {claim}?", {|#0:TrueLabel = ""|})] public partial bool Check(string claim);
        """,
        Diagnostic("MDSL210").WithLocation(0).WithMessage("TrueLabel on 'Check' is empty; give the text the model answers with for true."));

    [Fact]
    public Task BoolLabelsOnATextAnswer() => VerifyMethodAsync("""
            [Prompt("Q: {q}\nA:", {|#0:FalseLabel = "nope"|})] public partial string Ask(string q);
        """,
        Diagnostic("MDSL210").WithLocation(0).WithMessage("FalseLabel on 'Ask' labels a bool answer, but 'Ask' answers 'string'; remove it."));

    // {"Name":"","Age":0} is 19 characters with three words and numbers (Name, Age, 0): each ends a token under the
    // GPT-2, Llama 3 and Qwen pre-tokenizers, and the closing "} after the last is one more, so at least 4 tokens.
    const string Person = "public sealed record Person(string Name, int Age);\n";

    [Fact]
    public Task SmallestAnswerLongerThanMaxNewTokens() => VerifyMethodAsync(Person + """
            [Prompt("Who is in {text}?", {|#0:MaxNewTokens = 3|})] public partial Person Who(string text);
        """,
        Diagnostic("MDSL211").WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithMessage(
            "The smallest JSON 'Who' can answer (19 characters) takes at least 4 tokens with a GPT-2, Llama 3 or Qwen tokenizer, but MaxNewTokens = 3, so every answer would be cut off; raise MaxNewTokens to at least 4 or answer a smaller type."));

    [Fact]
    public Task SmallestAnswerLongerThanTheDefaultMaxNewTokens() => VerifyAsync(Gpt2 + """
        public sealed record Wide(int A1, int A2, int A3, int A4, int A5, int A6, int A7, int A8, int A9, int A10, int A11, int A12, int A13, int A14, int A15, int A16);

        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Numbers in {text}:")] public partial Wide {|#0:Numbers|}(string text);
        }
        """,
        // 16 keys of a letter run and a digit run each and 16 zeros: 48 runs, so 49 tokens at least.
        // Characters: 9 of "Ak":0 (6) and 7 of "Akk":0 (7), 15 commas and 2 braces = 54 + 49 + 17 = 120.
        Diagnostic("MDSL211").WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithMessage(
            "The smallest JSON 'Numbers' can answer (120 characters) takes at least 49 tokens with a GPT-2, Llama 3 or Qwen tokenizer, but MaxNewTokens = 32 (the default), so every answer would be cut off; raise MaxNewTokens to at least 49 or answer a smaller type."),
        // SmallGpt's context of 32 cannot hold it either.
        Diagnostic("MDSL212").WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithMessage(
            "The smallest JSON 'Numbers' can answer (120 characters) takes at least 49 tokens with a GPT-2, Llama 3 or Qwen tokenizer, and with a prompt of at least one token that exceeds the model's context window of 32, so no call could return a complete answer; declare a model with a context of at least 50 or answer a smaller type."));

    [Fact]
    public Task SmallestAnswerLongerThanTheDeclaredContext() => VerifyAsync("""
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 4)]
        public partial class TinyContextGpt;
        public sealed record Person(string Name, int Age);

        [InferenceClient<TinyContextGpt>]
        public partial class Client
        {
            [Prompt("Who is in {text}?")] public partial Person {|#0:Who|}(string text);
        }
        """,
        // {"Name":"","Age":0}: runs Name, Age, 0 and the closing brace, 4 tokens; with one prompt token, 5 > 4.
        Diagnostic("MDSL212").WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithMessage(
            "The smallest JSON 'Who' can answer (19 characters) takes at least 4 tokens with a GPT-2, Llama 3 or Qwen tokenizer, and with a prompt of at least one token that exceeds the model's context window of 4, so no call could return a complete answer; declare a model with a context of at least 5 or answer a smaller type."));

    [Fact]
    public Task SmallestAnswerLongerThanTheContextOfTheSetupsModel() => VerifyAsync("""
        using ModelDsl;
        [Llama(Layers = 1, Dim = 16, Heads = 2, Ffn = 32, Vocab = 64, Context = 3)]
        public partial class TinyLlama;
        [FineTune<TinyLlama>, LoRA(2)]
        public partial class TinyLora;
        public sealed record Person(string Name, int Age);

        [InferenceClient<TinyLora>]
        public partial class Client
        {
            [Prompt("Who is in {text}?", MaxNewTokens = 8)] public partial Person {|#0:Who|}(string text);
        }
        """,
        Diagnostic("MDSL212").WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithMessage(
            "The smallest JSON 'Who' can answer (19 characters) takes at least 4 tokens with a GPT-2, Llama 3 or Qwen tokenizer, and with a prompt of at least one token that exceeds the model's context window of 3, so no call could return a complete answer; declare a model with a context of at least 5 or answer a smaller type."));

    [Fact]
    public Task SmallestAnswerThatFitsTheContextExactlyHasNoWarning() => VerifyAsync("""
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 5)]
        public partial class FiveGpt;
        public sealed record Person(string Name, int Age);

        [InferenceClient<FiveGpt>]
        public partial class Client
        {
            [Prompt("Who is in {text}?")] public partial Person Who(string text);
        }
        """);

    [Fact]
    public Task SmallestAnswerThatFitsHasNoWarning() => VerifyMethodAsync(Person + """
            [Prompt("Who is in {text}?", MaxNewTokens = 4)] public partial Person Who(string text);
        """);

    [Fact]
    public Task ValidClientHasNoDiagnostics() => VerifyAsync(Gpt2 + """
        public enum Sentiment { Positive, Negative }

        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Q: {question}\nA:", MaxNewTokens = 32)] public partial string Answer(string question);
            [Prompt("Review: {review}\nSentiment:")] public partial Sentiment Classify(string review);
            [Prompt("Is {claim} true?", TrueLabel = "correct", FalseLabel = "wrong")] public partial bool Check(string claim);
        }
        """);

    [Fact]
    public Task DistinctDescriptionsAreValidLabels() => VerifyAsync(Gpt2 + """
        public enum Sentiment { [System.ComponentModel.Description("good")] Positive, [System.ComponentModel.Description("bad")] Negative, Mixed }

        [InferenceClient<SmallGpt>]
        public partial class Client
        {
            [Prompt("Review: {review}\nSentiment:")] public partial Sentiment Classify(string review);
        }
        """);
}
