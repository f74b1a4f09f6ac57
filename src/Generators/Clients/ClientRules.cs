using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Templates;

namespace ModelDsl.Generators.Clients;

/// <summary>What an inference client and each of its prompt methods must satisfy.</summary>
internal static class ClientRules
{
    public static IReadOnlyList<Finding> Validate(ClientSpec spec)
    {
        var findings = new List<Finding>();
        TypeRules.Check(spec.Type, spec.DeclaresConstructor, findings);
        if (!spec.TargetIsLanguageModel)
            findings.Add(new Finding(DiagnosticIds.ClientTargetNotLanguageModel,
                $"'{spec.TargetDisplay}' is not a language model; [InferenceClient<T>] needs a [Gpt2] or [Llama] model, or a [FineTune<T>] setup over one.",
                Attribute: "InferenceClient"));
        foreach (var method in spec.Methods)
        {
            CheckMethod(method, findings);
            CheckAnswerFitsContext(method, spec.TargetContext, findings);
        }
        return findings;
    }

    static void CheckMethod(ClientMethodSpec method, List<Finding> findings)
    {
        string name = method.Name;
        if (!method.IsImplementable)
            findings.Add(new Finding(DiagnosticIds.PromptMethodNotImplementable,
                $"'{name}' must be declared 'partial' without a body (and without type or ref parameters) so that the generator implements it.", name));
        if (method.Answer == AnswerKind.Unsupported)
            findings.Add(new Finding(DiagnosticIds.UnsupportedReturnType,
                $"'{name}' returns '{method.ReturnType.Replace("global::", "")}'; a prompt method returns string, IAsyncEnumerable<string>, an enum, bool, a number, DateOnly, a list or array, or a record or class of JSON-representable members, optionally as Task<T> or ValueTask<T>"
                + (method.JsonSchema.Length > 0 ? $" ({method.JsonSchema})." : "."), name));
        if (method.Answer == AnswerKind.Enum && method.Labels.Count == 0)
            findings.Add(new Finding(DiagnosticIds.EnumWithoutLabels,
                $"'{name}' answers with '{method.ReturnType.Replace("global::", "")}', which has no members to choose from.", name));
        AnswerLabelRules.Check(method, findings);

        if (method.Template is null) return;
        var template = PromptTemplateSyntax.Parse(method.Template);
        if (template.Error is { } error)
        {
            findings.Add(new Finding(DiagnosticIds.MalformedTemplate, $"The prompt of '{name}' is malformed: {error}.", name, "template"));
            return;
        }
        var parameters = method.Parameters.Where(p => !p.IsExamples && !p.IsCancellation).Select(p => p.Name).ToList();
        foreach (var placeholder in template.Placeholders.Where(p => !parameters.Contains(p)))
            findings.Add(new Finding(DiagnosticIds.PlaceholderWithoutParameter,
                $"The prompt of '{name}' uses {{{placeholder}}}, but '{name}' has no parameter '{placeholder}'; add one or fix the placeholder ({Available(parameters)}).",
                name, "template"));
        foreach (var unused in parameters.Where(p => !template.Placeholders.Contains(p)))
            findings.Add(new Finding(DiagnosticIds.ParameterNotUsed,
                $"Parameter '{unused}' of '{name}' is not used by its prompt; add {{{unused}}} to the template or remove the parameter.",
                name, "template", IsWarning: true));
        if (method.Examples.Count > 0 && template.Placeholders.Count != 1)
            findings.Add(new Finding(DiagnosticIds.ExampleNeedsOnePlaceholder,
                $"[Example] on '{name}' fills the template's only placeholder, but the template has {template.Placeholders.Count}; pass examples per call instead.",
                name, Attribute: "Example"));
        if (method.Answer is AnswerKind.Text or AnswerKind.Stream or AnswerKind.Json && method.MaxNewTokens < 1)
            findings.Add(new Finding(DiagnosticIds.MaxNewTokensNotPositive,
                $"MaxNewTokens = {method.MaxNewTokens} on '{name}' must be at least 1.", name, "MaxNewTokens"));
        if (method.Answer == AnswerKind.Json && method.MaxNewTokens >= 1 && AnswerTokenBound.Of(method.SmallestAnswer) is var fewest && fewest > method.MaxNewTokens)
            findings.Add(new Finding(DiagnosticIds.SmallestAnswerExceedsMaxNewTokens,
                $"The smallest JSON '{name}' can answer ({method.SmallestAnswer.Length} characters) takes at least {fewest} tokens with a GPT-2, Llama 3 or Qwen tokenizer, "
                + $"but MaxNewTokens = {method.MaxNewTokens}{(method.DeclaredOptions.Contains("MaxNewTokens") ? "" : " (the default)")}, so every answer would be cut off; "
                + $"raise MaxNewTokens to at least {fewest} or answer a smaller type.",
                name, method.DeclaredOptions.Contains("MaxNewTokens") ? "MaxNewTokens" : null, IsWarning: true,
                Replacement: fewest.ToString(CultureInfo.InvariantCulture)));
        if (!(method.Temperature >= 0))
            findings.Add(new Finding(DiagnosticIds.SamplingOutOfRange, $"Temperature = {Format(method.Temperature)} on '{name}' must be at least 0 (0 is greedy).", name, "Temperature"));
        if (method.TopK < 0)
            findings.Add(new Finding(DiagnosticIds.SamplingOutOfRange, $"TopK = {method.TopK} on '{name}' must be at least 0 (0 is no limit).", name, "TopK"));
        if (!(method.TopP > 0 && method.TopP <= 1))
            findings.Add(new Finding(DiagnosticIds.SamplingOutOfRange, $"TopP = {Format(method.TopP)} on '{name}' must be in (0, 1] (1 is no limit).", name, "TopP"));
    }

    // The prompt takes at least one token, so the smallest answer has context − 1 positions at most.
    static void CheckAnswerFitsContext(ClientMethodSpec method, int? context, List<Finding> findings)
    {
        if (method.Answer != AnswerKind.Json || context is not { } window || window < 1) return;
        var fewest = AnswerTokenBound.Of(method.SmallestAnswer);
        if (fewest + 1 <= window) return;
        findings.Add(new Finding(DiagnosticIds.SmallestAnswerExceedsContext,
            $"The smallest JSON '{method.Name}' can answer ({method.SmallestAnswer.Length} characters) takes at least {fewest} tokens with a GPT-2, Llama 3 or Qwen tokenizer, "
            + $"and with a prompt of at least one token that exceeds the model's context window of {window}, so no call could return a complete answer; "
            + $"declare a model with a context of at least {fewest + 1} or answer a smaller type.",
            method.Name, IsWarning: true));
    }

    static string Available(List<string> parameters) =>
        parameters.Count == 0 ? "the method has no text parameters" : "parameters: " + string.Join(", ", parameters);

    static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
