using System.Collections.Generic;

namespace ModelDsl.Clients;

/// <summary>
/// One solved example for few-shot prompting: the values that fill the prompt template and the answer the model
/// should learn to give.
/// </summary>
/// <param name="Inputs">Placeholder name → value, as for the query itself.</param>
/// <param name="Output">The expected answer, written after the filled template.</param>
public sealed record PromptExample(IReadOnlyDictionary<string, object?> Inputs, string Output)
{
    /// <summary>An example for a template with a single placeholder <paramref name="name"/>.</summary>
    public static PromptExample Of(string name, object? value, string output) =>
        new(new Dictionary<string, object?> { [name] = value }, output);
}
