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

/// <summary>A few-shot example from an <c>[Example]</c> attribute.</summary>
internal sealed record ExampleSpec(string Input, string Output);

/// <summary>A <c>[Prompt]</c> method of a client.</summary>
/// <param name="EnumMembers">For an enum answer, the labels (member names) in declaration order.</param>
/// <param name="IsImplementable">Declared <c>partial</c> without a body, so the generator implements it.</param>
/// <param name="DeclaredOptions">The generation options the <c>[Prompt]</c> sets (the others come from the client's <c>DefaultOptions</c>).</param>
/// <param name="Async">"Task" or "ValueTask" when the method returns the answer wrapped in one, else empty.</param>
/// <param name="AnswerType">The answer's type, fully qualified (the return type without its Task/ValueTask).</param>
/// <param name="JsonSchema">For a JSON answer, the answer type's schema; for an unsupported answer, why (may be empty).</param>
internal sealed record ClientMethodSpec(
    string Name,
    string Modifiers,
    string ReturnType,
    AnswerKind Answer,
    EquatableArray<string> EnumMembers,
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
    string JsonSchema);

/// <summary>An <c>[InferenceClient&lt;T&gt;]</c> class.</summary>
/// <param name="TargetType">T, fully qualified.</param>
/// <param name="TargetDisplay">T as the user wrote it (for messages).</param>
/// <param name="TargetIsLanguageModel">T is a [Gpt2]/[Llama] model or a setup over one.</param>
internal sealed record ClientSpec(
    TypeLocation Type,
    bool DeclaresConstructor,
    string TargetType,
    string TargetDisplay,
    bool TargetIsLanguageModel,
    EquatableArray<ClientMethodSpec> Methods);
