using System.Collections.Generic;
using ModelDsl.Generators.Specs;
using ModelDsl.Shared.Peft;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Setups;

/// <summary>What a <c>[SoftPrompt]</c> declaration must satisfy.</summary>
internal static class PromptRules
{
    public static void Check(SoftPromptSpec prompt, ModelDescription model, int promptCount, List<Finding> findings)
    {
        if (promptCount > 1)
            findings.Add(new Finding(DiagnosticIds.TwoSoftPrompts,
                "A setup has one soft prompt; merge the two [SoftPrompt] attributes or declare a second setup.", Attribute: "SoftPrompt"));
        if (!model.IsCausalLanguageModel)
        {
            findings.Add(new Finding(DiagnosticIds.MethodNeedsLanguageModel,
                $"[SoftPrompt] prepends to the token embeddings of a [Gpt2] or [Llama] model; '{SetupPlanner.ShortType(model)}' has a Forward of its own.",
                Attribute: "SoftPrompt"));
            return;
        }
        foreach (var problem in PeftArguments.SoftPrompt(prompt.Tokens, model.Context, SetupPlanner.ShortType(model)))
            findings.Add(new Finding(problem.Id, problem.Message, Argument: problem.Argument, Attribute: "SoftPrompt"));
        bool hasText = !string.IsNullOrEmpty(prompt.InitText);
        if (hasText && prompt.InitIsExplicit && prompt.Init == "Random")
            findings.Add(new Finding(DiagnosticIds.InitTextWithRandomInit,
                "InitText is ignored with Init = PromptInit.Random; use Init = PromptInit.Text or remove InitText.", Argument: "InitText", Attribute: "SoftPrompt"));
        if (!hasText && prompt.Init == "Text")
            findings.Add(new Finding(DiagnosticIds.TextInitWithoutText,
                "Init = PromptInit.Text needs InitText, e.g. InitText = \"Classify the sentiment:\".", Argument: "Init", Attribute: "SoftPrompt"));
    }
}
