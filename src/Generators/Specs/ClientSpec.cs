namespace ModelDsl.Generators.Specs;

/// <summary>What a client method returns, which decides how it answers.</summary>
internal enum AnswerKind
{
    Text,
    Stream,
    Enum,
    Bool,
    /// <summary>A record or class, generated as JSON of its schema.</summary>
    Json,
    Unsupported,
}

/// <summary>A parameter of a client method.</summary>
/// <param name="IsExamples">The parameter passes few-shot examples per call (<c>IEnumerable&lt;PromptExample&gt;</c>).</param>
/// <param name="IsCancellation">A <c>CancellationToken</c>.</param>
internal sealed record ClientParameter(string Name, string Type, bool IsExamples, bool IsCancellation);

/// <summary>One answer a choosing method can return and the text the model is asked for it.</summary>
/// <param name="Member">The answer as C# (an enum member's name, or <c>true</c>/<c>false</c>).</param>
/// <param name="Label">The text scored after the prompt: the member's <c>[Description]</c> or its name, or a bool's label.</param>
internal sealed record AnswerLabel(string Member, string Label);

/// <summary>A few-shot example from an <c>[Example]</c> attribute.</summary>
internal sealed record ExampleSpec(string Input, string Output);

/// <summary>A <c>[Prompt]</c> method of a client.</summary>
/// <param name="Labels">For an enum or bool answer, what it chooses among in declaration order (true before false).</param>
/// <param name="IsImplementable">Declared <c>partial</c> without a body, so the generator implements it.</param>
/// <param name="DeclaredOptions">The generation options the <c>[Prompt]</c> sets (the others come from the client's <c>DefaultOptions</c>).</param>
/// <param name="Async">"Task" or "ValueTask" when the method returns the answer wrapped in one, else empty.</param>
/// <param name="AnswerType">The answer's type, fully qualified (the return type without its Task/ValueTask).</param>
/// <param name="JsonSchema">For a JSON answer, the answer type's schema; for an unsupported answer, why (may be empty).</param>
/// <param name="SmallestAnswer">For a JSON answer, the smallest JSON text valid under <paramref name="JsonSchema"/>.</param>
/// <param name="MisplacedLabels">The bool label arguments (<c>TrueLabel</c>, <c>FalseLabel</c>) set on a method that does not answer bool.</param>
internal sealed record ClientMethodSpec(
    string Name,
    string Modifiers,
    string ReturnType,
    AnswerKind Answer,
    EquatableArray<AnswerLabel> Labels,
    EquatableArray<ClientParameter> Parameters,
    string? Template,
    int MaxNewTokens,
    double Temperature,
    int TopK,
    double TopP,
    EquatableArray<string> Stop,
    EquatableArray<ExampleSpec> Examples,
    bool IsImplementable,
    EquatableArray<string> DeclaredOptions,
    string Async,
    string AnswerType,
    string JsonSchema,
    string SmallestAnswer,
    EquatableArray<string> MisplacedLabels);

/// <summary>An <c>[InferenceClient&lt;T&gt;]</c> class.</summary>
/// <param name="TargetType">T, fully qualified.</param>
/// <param name="TargetDisplay">T as the user wrote it (for messages).</param>
/// <param name="TargetIsLanguageModel">T is a [Gpt2]/[Llama] model or a setup over one.</param>
/// <param name="TargetContext">
/// The context window T declares (its family attribute's <c>Context</c>, or the family's default), or null when it is
/// only known at run time (<c>[FromConfig]</c>) or T is not a language model.
/// </param>
internal sealed record ClientSpec(
    TypeLocation Type,
    bool DeclaresConstructor,
    string TargetType,
    string TargetDisplay,
    bool TargetIsLanguageModel,
    EquatableArray<ClientMethodSpec> Methods,
    int? TargetContext = null);
