using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Clients;

/// <summary>
/// The labels a choosing method scores after its prompt (an enum member's <c>[Description]</c> or name, a bool's
/// <c>TrueLabel</c>/<c>FalseLabel</c>): each has text, no two answers share one, and bool labels sit only on bool answers.
/// </summary>
internal static class AnswerLabelRules
{
    public static void Check(ClientMethodSpec method, List<Finding> findings)
    {
        var name = method.Name;
        foreach (var misplaced in method.MisplacedLabels)
            findings.Add(new Finding(DiagnosticIds.InvalidAnswerLabel,
                $"{misplaced} on '{name}' labels a bool answer, but '{name}' answers '{Display(method.ReturnType)}'; remove it.", name, misplaced));
        if (method.Answer is not (AnswerKind.Enum or AnswerKind.Bool)) return;

        var isBool = method.Answer == AnswerKind.Bool;
        foreach (var label in method.Labels.Where(l => l.Label.Trim().Length == 0))
            findings.Add(isBool
                ? new Finding(DiagnosticIds.InvalidAnswerLabel,
                    $"{BoolArgument(label)} on '{name}' is empty; give the text the model answers with for {label.Member}.", name, BoolArgument(label))
                : new Finding(DiagnosticIds.InvalidAnswerLabel,
                    $"The [Description] of '{Member(method, label)}' is empty, so '{name}' cannot ask the model for it; give it text or remove it to use the name.", name));

        var seen = new Dictionary<string, AnswerLabel>();
        foreach (var label in method.Labels.Where(l => l.Label.Trim().Length > 0))
        {
            if (!seen.TryGetValue(label.Label, out var first))
            {
                seen[label.Label] = label;
                continue;
            }
            findings.Add(isBool
                ? new Finding(DiagnosticIds.InvalidAnswerLabel,
                    $"TrueLabel and FalseLabel of '{name}' are both \"{label.Label}\"; the model's answer could not tell true from false, so give them different text.", name, "FalseLabel")
                : new Finding(DiagnosticIds.InvalidAnswerLabel,
                    $"'{Member(method, first)}' and '{Member(method, label)}' of '{name}' share the label \"{label.Label}\"; the model's answer could not tell them apart, so give each its own [Description].", name));
        }
    }

    static string BoolArgument(AnswerLabel label) => label.Member == "true" ? "TrueLabel" : "FalseLabel";

    static string Member(ClientMethodSpec method, AnswerLabel label) => ShortName(method.AnswerType) + "." + label.Member;

    static string ShortName(string type)
    {
        var display = Display(type);
        var dot = display.LastIndexOf('.');
        return dot < 0 ? display : display.Substring(dot + 1);
    }

    static string Display(string type) => type.Replace("global::", "");
}
