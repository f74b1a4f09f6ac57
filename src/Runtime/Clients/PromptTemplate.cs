using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelDsl.Clients;

/// <summary>
/// Fills prompt templates: <c>{name}</c> is replaced by the value of placeholder <c>name</c> (formatted with the
/// invariant culture), <c>{{</c> and <c>}}</c> stand for literal braces. Few-shot prompts put each example (the
/// template filled with its inputs, then its answer) before the query, separated by a blank line.
/// </summary>
public static class PromptTemplate
{
    /// <summary>Text between few-shot blocks.</summary>
    public const string ExampleSeparator = "\n\n";

    /// <summary>Fills <paramref name="template"/> with <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">A placeholder has no value, or a brace is unbalanced.</exception>
    public static string Render(string template, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        // The same parser the generator uses to check placeholders against parameters at compile time.
        var parsed = Templates.PromptTemplateSyntax.Parse(template);
        if (parsed.Error is { } error)
            throw new ArgumentException($"The prompt template \"{template}\" is malformed: {error}.", nameof(template));
        foreach (var name in parsed.Placeholders)
            if (!values.ContainsKey(name))
                throw new ArgumentException($"The prompt template uses placeholder {{{name}}} but no value was given for it (given: {string.Join(", ", values.Keys)}).", nameof(values));
        return parsed.Render(values.ToDictionary(pair => pair.Key, pair => Format(pair.Value)));
    }

    /// <summary>
    /// The few-shot prompt: every example of <paramref name="examples"/> (in order) as the filled template followed by
    /// its answer, then the query; blocks separated by <see cref="ExampleSeparator"/>. The answer follows the template
    /// after a space unless the template already ends with whitespace. With no examples this is <see cref="Render"/>.
    /// </summary>
    public static string RenderFewShot(string template, IReadOnlyDictionary<string, object?> values, IReadOnlyList<PromptExample>? examples)
    {
        var query = Render(template, values);
        if (examples is null || examples.Count == 0) return query;
        var text = new StringBuilder();
        foreach (var example in examples)
            text.Append(Render(template, example.Inputs)).Append(AnswerSeparator(template)).Append(example.Output).Append(ExampleSeparator);
        return text.Append(query).ToString();
    }

    /// <summary>What goes between a filled template and its answer: a space, or nothing if the template ends with whitespace.</summary>
    public static string AnswerSeparator(string template) =>
        template.Length > 0 && char.IsWhiteSpace(template[^1]) ? "" : " ";

    static string Format(object? value) => value switch
    {
        null => "",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
