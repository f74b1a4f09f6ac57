using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Quickstart;

/// <summary>
/// The claims the quickstart makes, checked on a report: few-shot beats zero-shot; full fine-tuning and LoRA beat
/// few-shot; LoRA comes within <see cref="PeftMargin"/> of full fine-tuning with under 10 % of the parameters; full
/// fine-tuning forgets more of the base skill than every PEFT method. BitFit, the selective setup, the adapter and the
/// soft prompt are reported, not held to the accuracy claims: the task needs four events pretraining never labelled,
/// and methods that only steer the frozen model (BitFit, the soft prompt) learn those partly (docs/quickstart.md).
/// Then two more: DPO makes most answers follow the people's preference at a small cost in accuracy and base skill,
/// and the typed client's record answer gets every field right for most stories.
/// </summary>
public static class Checks
{
    /// <summary>Points (of accuracy) within which PEFT must come to full fine-tuning.</summary>
    public const double PeftMargin = 0.05;

    /// <summary>Least share of held-out answers that follow the people's preference after DPO.</summary>
    public const double MinWinRate = 0.8;

    /// <summary>Least rise of that share over the supervised model's.</summary>
    public const double MinWinRateGain = 0.5;

    /// <summary>Most task accuracy (points) that DPO may cost.</summary>
    public const double MaxAlignmentAccuracyLoss = 0.05;

    /// <summary>Most rise of the base-skill loss (nats) that DPO may add on top of supervised fine-tuning.</summary>
    public const double MaxAlignmentForgetting = 1.0;

    /// <summary>Least share of held-out stories whose record answer has every field right.</summary>
    public const double MinRecordAccuracy = 0.85;

    /// <summary>Every claim that does not hold for <paramref name="r"/>, as a sentence with the numbers.</summary>
    public static IReadOnlyList<string> Failures(QuickstartReport r)
    {
        var failures = new List<string>();
        var p = r.Prompting;
        var full = r.Methods.Single(m => m.Method == "Full fine-tuning");
        var peft = r.Methods.Where(m => m != full).ToList();
        var lora = peft.Single(m => m.Method == "LoRA");
        if (!(p.FewShot > p.ZeroShot)) failures.Add($"few-shot {p.FewShot:P1} does not beat zero-shot {p.ZeroShot:P1}");
        foreach (var m in new[] { full, lora }.Where(m => !(m.Accuracy > p.FewShot)))
            failures.Add($"{m.Method} {m.Accuracy:P1} does not beat few-shot {p.FewShot:P1}");
        if (lora.Accuracy < full.Accuracy - PeftMargin)
            failures.Add($"LoRA {lora.Accuracy:P1} is not within {PeftMargin:P0} of full fine-tuning {full.Accuracy:P1}");
        if (lora.TrainablePercent >= 10)
            failures.Add($"LoRA trains {lora.TrainablePercent:F1} % of the parameters, not a small fraction");
        foreach (var m in peft.Where(m => !(full.Forgetting > m.Forgetting)))
            failures.Add($"full fine-tuning forgets {full.Forgetting:F3} nats, not more than {m.Method} ({m.Forgetting:F3})");
        if (!r.MergedAnswersMatch) failures.Add("the merged LoRA model answers differently from the unmerged one");
        var a = r.Alignment;
        if (!(a.WinRateAfter >= MinWinRate))
            failures.Add($"after DPO {a.WinRateAfter:P1} of the answers follow the preference, not at least {MinWinRate:P0}");
        if (!(a.WinRateAfter - a.WinRateBefore >= MinWinRateGain))
            failures.Add($"DPO raises the preference win-rate from {a.WinRateBefore:P1} to {a.WinRateAfter:P1}, less than {MinWinRateGain:P0}");
        if (a.AccuracyAfter < a.AccuracyBefore - MaxAlignmentAccuracyLoss)
            failures.Add($"DPO costs task accuracy {a.AccuracyBefore:P1} → {a.AccuracyAfter:P1}, more than {MaxAlignmentAccuracyLoss:P0}");
        if (!(a.Forgetting <= MaxAlignmentForgetting))
            failures.Add($"DPO raises the base-skill loss by {a.Forgetting:F3} nats, more than {MaxAlignmentForgetting}");
        if (!(r.RecordAnswer.Accuracy >= MinRecordAccuracy))
            failures.Add($"the record answer has every field right for {r.RecordAnswer.Accuracy:P1} of the stories, not at least {MinRecordAccuracy:P0}");
        return failures;
    }

    /// <summary>Runs the quickstart once per options (one per seed); 0 when every claim holds for every run.</summary>
    public static int Run(IEnumerable<QuickstartOptions> runs, TextWriter output)
    {
        var failed = false;
        foreach (var options in runs)
        {
            var report = QuickstartRun.Run(options, output);
            Report.Show(report, options.OutputDir);
            var failures = Failures(report);
            foreach (var f in failures) output.WriteLine($"seed {options.Seed}: FAILED: {f}");
            if (failures.Count == 0) output.WriteLine($"seed {options.Seed}: all effects hold");
            failed |= failures.Count > 0;
        }
        return failed ? 1 : 0;
    }
}
