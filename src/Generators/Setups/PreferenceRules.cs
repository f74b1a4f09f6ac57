using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Specs;
using ModelDsl.Shared.Alignment;

namespace ModelDsl.Generators.Setups;

/// <summary>
/// What <c>[Dpo]</c> and <c>[RewardHead]</c> need from a setup, checked from the declaration alone: DPO's arguments
/// (the bounds the runtime's <c>DpoOptions.Validate</c> shares), a model with the outputs the objective reads, a method
/// the reward head can score through, and — once the setup is counted — something for DPO to train.
/// </summary>
internal static class PreferenceRules
{
    public static void Check(SetupSpec spec, ModelDescription model, List<Finding> findings)
    {
        if (spec.Dpo is { } dpo)
        {
            if (dpo.Loss is null)
                findings.Add(new Finding(DiagnosticIds.IncompleteMethod,
                    "The arguments of [Dpo] must be compile-time constants of the declared types; Loss is DpoLossType.Sigmoid or DpoLossType.Ipo.", Attribute: "Dpo"));
            else
                foreach (var problem in PreferenceArguments.Dpo(dpo.Beta, dpo.LabelSmoothing, ipo: dpo.Loss == "Ipo"))
                    findings.Add(new Finding(problem.Id, problem.Message, Argument: problem.Argument, Attribute: "Dpo"));
            // A custom [Model]'s Forward is its own: DPO reads next-token logits through ICausalLanguageModel.
            if (!model.IsCausalLanguageModel && !spec.ModelImplementsCausalLanguageModel)
                findings.Add(new Finding(DiagnosticIds.PreferenceNeedsLanguageModel,
                    $"[Dpo] needs the next-token logits of a causal language model; '{SetupPlanner.ShortType(model)}' has a Forward of its own. " +
                    "Fine-tune a [Gpt2], [Llama] or other family model, or implement ModelDsl.Models.ICausalLanguageModel on it.",
                    Attribute: "Dpo"));
        }
        if (!spec.RewardHead) return;
        // The reward head reads the trunk's final hidden states (the runtime's HiddenStates): the families, or IHiddenStateModel.
        if (!model.IsCausalLanguageModel && !spec.ModelImplementsHiddenStates)
            findings.Add(new Finding(DiagnosticIds.PreferenceNeedsLanguageModel,
                $"[RewardHead] needs the final hidden states of a language model; '{SetupPlanner.ShortType(model)}' has a Forward of its own. " +
                "Fine-tune a [Gpt2], [Llama] or other family model, or implement ModelDsl.Models.IHiddenStateModel on it.",
                Attribute: "RewardHead"));
        else if (spec.Methods.OfType<SoftPromptSpec>().Any())
            findings.Add(new Finding(DiagnosticIds.RewardHeadOnSoftPrompt,
                "[RewardHead] cannot sit on a prompt-tuning setup: the virtual tokens come before the trunk, which a …ForSequenceClassification checkpoint " +
                "cannot hold, and the runtime does not score through them; use [LoRA] or [Adapter] for the reward model.",
                Attribute: "RewardHead"));
    }

    /// <summary>DPO updates only what the setup trains; a setup that trains nothing (BitFit on a model without biases) gives it nothing to move.</summary>
    /// <remarks>A reward head always trains its own <c>score</c> weight, so it has something to train on any setup.</remarks>
    public static void CheckTrainable(SetupSpec spec, ModelDescription model, long trainable, List<Finding> findings)
    {
        if (spec.Dpo is null || trainable > 0) return;
        var why = spec.Methods.OfType<BitFitSpec>().Any()
            ? $"[BitFit] finds no bias in '{SetupPlanner.ShortType(model)}'"
            : $"its method selects no parameter of '{SetupPlanner.ShortType(model)}'";
        findings.Add(new Finding(DiagnosticIds.PreferenceTrainsNothing,
            $"[Dpo] on a setup that trains no parameter ({why}): the policy could not move from the reference. Choose a method that trains something, e.g. [LoRA(8)].",
            Attribute: "Dpo"));
    }
}
