using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.IO.Peft;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace Quickstart;

/// <summary>What PEFT adapters allow after training: merging for free inference, and one base serving several tasks.</summary>
public static class Adapters
{
    /// <summary>Merges the LoRA weights into the base and checks that every answer (and every logit, within float error) stays the same.</summary>
    public static (bool AnswersMatch, double MaxLogitDifference) CheckMerge(LoraSetup lora, LoraClient client, IReadOnlyList<Story> eval, WordTokenizer tokenizer, TextWriter log)
    {
        var ids = tensor(tokenizer.EncodeToIds(World.TaskTemplate.Replace("{story}", eval[0].Text)).Select(i => (long)i).ToArray()).unsqueeze(0);
        lora.eval();
        using var _ = no_grad();
        using var before = lora.Forward(ids);
        var unmerged = eval.Select(s => client.Feel(s.Text)).ToList();
        lora.Merge();
        using var after = lora.Forward(ids);
        var merged = eval.Select(s => client.Feel(s.Text)).ToList();
        lora.Unmerge();
        var difference = (before - after).abs().max().item<float>();
        var same = unmerged.SequenceEqual(merged);
        log.WriteLine($"merged vs unmerged: {(same ? "all" : "NOT all")} {eval.Count} answers identical, max logit difference {difference:E1}");
        return (same, difference);
    }

    /// <summary>
    /// Trains a second LoRA adapter for another task (which item the hero handled last), saves both in PEFT's layout,
    /// loads them side by side onto a fresh base, and answers each task by switching adapters.
    /// </summary>
    public static double SwapTasks(QuickstartOptions o, Func<WorldGpt> fresh, WordTokenizer tokenizer, IReadOnlyList<Story> train,
        IReadOnlyList<Story> eval, TokenizationOptions tokenization, TextWriter log)
    {
        var feelingDir = Path.Combine(o.OutputDir, "adapters", FineTuning.Slug("LoRA"));
        var itemDir = Path.Combine(o.OutputDir, "adapters", "lora-item");
        using (var itemSetup = new LoraSetup(fresh()))
        using (var trainer = new Trainer(itemSetup, new TrainerOptions { MaxSteps = o.FineTuneSteps, BatchSize = 16, LearningRate = o.TaskAdapterLearningRate, WarmupSteps = 5, Seed = o.Seed, LogEvery = o.FineTuneSteps }, log))
        {
            trainer.Fit(World.ItemTask(train).Tokenize(tokenizer, tokenization));
            itemSetup.SaveAdapter(itemDir);
        }

        using var setup = new LoraSetup(fresh());
        setup.LoadAdapter(feelingDir, "feeling");
        setup.LoadAdapter(itemDir, "item");
        var client = new LoraClient(setup, tokenizer);
        var story = eval[0].Text;
        setup.UseAdapter("feeling");
        log.WriteLine($"\"{story}\"  adapter 'feeling' → {client.Feel(story).Trim()}");
        setup.UseAdapter("item");
        log.WriteLine($"\"{story}\"  adapter 'item'    → {client.Which(story).Trim()}");
        var accuracy = eval.Count(s => client.Which(s.Text).Trim() == s.Item.ToString()) / (double)eval.Count;
        log.WriteLine($"item adapter accuracy {accuracy:P1}; adapters saved in PEFT's layout under {Path.GetDirectoryName(feelingDir)}");
        return accuracy;
    }
}
