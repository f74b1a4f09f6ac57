using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Shared.Peft;
using ModelDsl.Targeting;

namespace ModelDsl.Generators.Setups;

/// <summary>
/// Checks a setup against its model and resolves it: a pure function from <see cref="SetupSpec"/> to findings and,
/// when there is no error, a <see cref="SetupPlan"/>. The analyzers report the findings; the generator emits the plan.
/// </summary>
internal static class SetupPlanner
{
    public static (IReadOnlyList<Finding> Findings, SetupPlan? Plan) Plan(SetupSpec spec)
    {
        // A model with errors of its own: its diagnostics say why, and the setup waits for it.
        if (spec.ModelInvalid is not null) return ([], null);
        var findings = new List<Finding>();
        TypeRules.Check(spec.Type, spec.DeclaresConstructor, findings);
        if (spec.Model is not { } model)
        {
            findings.Add(new Finding(DiagnosticIds.NotAGeneratedModel,
                $"'{spec.ModelTypeName}' is not a generated model; [FineTune<T>] needs a partial class marked [Model], [Gpt2] or [Llama].",
                Attribute: "FineTune"));
            return (findings, null);
        }

        var methods = spec.Methods;
        foreach (var incomplete in methods.OfType<IncompleteMethodSpec>())
            findings.Add(new Finding(DiagnosticIds.IncompleteMethod,
                $"The arguments of [{incomplete.Name}] must be compile-time constants of the declared types.", Attribute: incomplete.Name));
        CheckCombination(methods, findings);

        var lora = methods.OfType<LoraSpec>().FirstOrDefault();
        var loraTargets = lora is null ? new List<LayerEntry>() : LoraRules.Resolve(lora, model, findings);
        var selected = SelectParameters(methods, model, findings);
        var prompt = methods.OfType<SoftPromptSpec>().FirstOrDefault();
        if (prompt is not null) PromptRules.Check(prompt, model, methods.OfType<SoftPromptSpec>().Count(), findings);
        var adapter = methods.OfType<AdapterSpec>().FirstOrDefault();
        if (adapter is not null) CheckAdapter(adapter, model, findings);
        PreferenceRules.Check(spec, model, findings);
        var quantized = QuantizeRules.Check(spec, model, selected, findings);

        if (findings.Any(f => !f.IsWarning)) return (findings, null);

        bool full = methods.OfType<FullFineTuneSpec>().Any();
        int adapterCount = SetupPlan.CountAdapters(adapter, model);
        long added = loraTargets.Sum(t => PeftCounts.Lora(t.InFeatures, t.OutFeatures, lora!.Rank))
                     + (prompt is null ? 0 : PeftCounts.SoftPrompt(prompt.Tokens, model.Dim))
                     + adapterCount * (adapter is null ? 0 : PeftCounts.Bottleneck(model.Dim, adapter.Bottleneck));
        long trainable = full ? model.TotalParameters : added + selected.Sum(p => p.ElementCount);
        PreferenceRules.CheckTrainable(spec, model, trainable, findings);
        if (findings.Any(f => !f.IsWarning)) return (findings, null);
        var plan = new SetupPlan(spec, model, lora, loraTargets.ToEquatableArray(), selected.ToEquatableArray(), full,
            methods.OfType<BitFitSpec>().Any(), prompt, adapter, trainable, model.TotalParameters + added)
        {
            QuantizedLayers = quantized.ToEquatableArray(),
        };
        return (findings, plan);
    }

    // One method per setup: the runtime's setups wrap one PEFT config, as a PEFT model does per adapter.
    static void CheckCombination(EquatableArray<MethodSpec> methods, List<Finding> findings)
    {
        var names = methods.Where(m => m is not IncompleteMethodSpec).Select(m => m.AttributeName).Distinct().ToList();
        if (methods.Count == 0)
        {
            findings.Add(new Finding(DiagnosticIds.NoMethod,
                "A setup needs a fine-tuning method: add [FullFineTune], [Selective], [BitFit], [LoRA], [SoftPrompt] or [Adapter].",
                Attribute: "FineTune"));
            return;
        }
        if (names.Contains("FullFineTune") && names.Count > 1)
        {
            findings.Add(new Finding(DiagnosticIds.FullFineTuneCombined,
                $"[FullFineTune] already trains every parameter; remove it or remove [{names.First(n => n != "FullFineTune")}].",
                Attribute: "FullFineTune"));
            return;
        }
        if (names.Count > 1)
            findings.Add(new Finding(DiagnosticIds.MethodsNotCombinable,
                $"[{names[1]}] cannot be combined with [{names[0]}] in one setup; declare a separate setup for each method.",
                Attribute: names[1]));
    }

    static List<ParameterRef> SelectParameters(EquatableArray<MethodSpec> methods, ModelDescription model, List<Finding> findings)
    {
        var selected = new List<ParameterRef>();
        if (methods.OfType<BitFitSpec>().Any())
            selected.AddRange(model.Parameters.Where(p => p.IsBias));
        foreach (var selective in methods.OfType<SelectiveSpec>())
        {
            if (selective.Train.Count == 0)
                findings.Add(new Finding(DiagnosticIds.SelectiveEmpty,
                    "[Selective] needs at least one pattern in Train, e.g. Train = [\"ln_f\", \"h.11.*\"].", Argument: "Train", Attribute: "Selective"));
            foreach (var pattern in selective.Train)
            {
                var matches = model.Parameters.Where(p => TargetPatterns.SelectsParameter(p.Name, pattern)).ToList();
                if (matches.Count == 0)
                    findings.Add(new Finding(DiagnosticIds.SelectiveMatchesNothing,
                        $"The pattern \"{pattern}\" selects no parameter of '{ShortType(model)}'; closest names: {string.Join(", ", TargetPatterns.Closest(pattern, ModuleNames(model)).Select(n => "\"" + n + "\""))}.",
                        Argument: "Train", Attribute: "Selective", Element: pattern));
                selected.AddRange(matches);
            }
        }
        var distinct = selected.GroupBy(p => p.Name).Select(g => g.First()).ToList();
        foreach (var parameter in distinct.Where(p => !p.IsReachable).Take(1))
            findings.Add(new Finding(DiagnosticIds.Unreachable,
                $"'{parameter.Name}' is reached through a private member; make the layer's member public or internal so the setup can train it.",
                Attribute: methods.OfType<SelectiveSpec>().Any() ? "Selective" : "BitFit"));
        return distinct;
    }

    static void CheckAdapter(AdapterSpec adapter, ModelDescription model, List<Finding> findings)
    {
        if (!model.IsCausalLanguageModel)
        {
            findings.Add(new Finding(DiagnosticIds.MethodNeedsLanguageModel,
                $"[Adapter] inserts into the blocks of a [Gpt2] or [Llama] model; '{ShortType(model)}' has a Forward of its own.", Attribute: "Adapter"));
            return;
        }
        foreach (var problem in PeftArguments.Bottleneck(adapter.Bottleneck, model.Dim))
            findings.Add(new Finding(problem.Id, problem.Message, Argument: problem.Argument, Attribute: "Adapter"));
    }

    internal static string ShortType(ModelDescription model) => model.TypeName.Substring(model.TypeName.LastIndexOf('.') + 1).Replace("global::", "");

    internal static IEnumerable<string> ModuleNames(ModelDescription model) =>
        model.Layers.Select(l => l.ShortName).Concat(model.Layers.Select(l => l.Name));
}
