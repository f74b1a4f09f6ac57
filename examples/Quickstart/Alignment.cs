using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Training;
using ModelDsl.Training.Alignment;

namespace Quickstart;

/// <summary>
/// What DPO changed: the share of held-out stories whose answer follows the people's preference
/// (<see cref="World.FollowsPreference"/>), and what it cost — task accuracy and base-skill loss — each before
/// (the supervised LoRA model) and after.
/// </summary>
public sealed record AlignmentResult(
    int Pairs, int Steps, double WinRateBefore, double WinRateAfter, double AccuracyBefore, double AccuracyAfter,
    double BaseLossBefore, double BaseLossAfter, double TrainSeconds, string AnswerBefore, string AnswerAfter)
{
    /// <summary>Rise of the base-skill loss (nats) that DPO adds on top of supervised fine-tuning.</summary>
    public double Forgetting => BaseLossAfter - BaseLossBefore;
}

/// <summary>
/// Aligns a supervised LoRA model with a preference of the world's people by DPO. First a LoRA adapter imitates the
/// people's own answers (<see cref="World.PeopleAnswers"/>: mostly the bare feeling), and is folded into the base (PEFT's
/// <c>merge_and_unload</c>). Then a new LoRA adapter is trained with DPO on which answer people prefer: its reference
/// policy is the same model with the new adapter switched off — the supervised model — with no second copy in memory.
/// </summary>
public static class Alignment
{
    public static AlignmentResult Run(QuickstartOptions o, Func<WorldGpt> fresh, WordTokenizer tokenizer, IReadOnlyList<Story> train,
        IReadOnlyList<Story> eval, TokenizedDataset baseSkill, TokenizationOptions tokenization, TextWriter log)
    {
        // Supervised fine-tuning on the people's own answers, then folded into the base: the model DPO starts from.
        var supervisedDir = Path.Combine(o.OutputDir, "lora-people-merged");
        using (var supervised = new LoraSetup(fresh()))
        {
            using (var trainer = new Trainer(supervised, new TrainerOptions
            {
                MaxSteps = o.PeopleAnswerSteps, BatchSize = 16, LearningRate = o.TaskAdapterLearningRate, WarmupSteps = 5, Seed = o.Seed, LogEvery = o.PeopleAnswerSteps,
            }, log))
            {
                trainer.Fit(World.PeopleAnswers(train).Tokenize(tokenizer, tokenization));
            }
            supervised.MergeAndUnload().SavePretrained(supervisedDir);
        }
        TorchSharp.torch.manual_seed(o.Seed);
        using var setup = new LoraSetup(WorldGpt.FromPretrained(supervisedDir));
        var client = new LoraClient(setup, tokenizer);
        // The word tokenizer declares no end-of-sequence token to the SDK: say which id ends an answer.
        client.DefaultOptions = client.DefaultOptions with { EndOfSequenceTokenIds = [WordTokenizer.EndOfText] };
        var story = eval[0];
        var before = Measure(client, setup, eval, baseSkill);
        var answerBefore = client.Say(story.Text);

        var pairs = World.Preferences(train).Tokenize(tokenizer, new PreferenceTokenizationOptions
        {
            EosTokenId = WordTokenizer.EndOfText, PadTokenId = WordTokenizer.EndOfText, MaxLength = WorldGpt.Context,
        });
        log.WriteLine($"{pairs.Count} preference pairs, e.g. \"{World.TaskTemplate.Replace("{story}", story.Text)}\" chosen \"{World.PreferredAnswer(story)}\" over \" {story.Feeling}\"");
        var clock = Stopwatch.StartNew();
        using (var trainer = new Trainer(setup, new TrainerOptions
        {
            MaxSteps = o.AlignmentSteps, BatchSize = 16, LearningRate = o.AlignmentLearningRate, WarmupSteps = 5, Seed = o.Seed,
            LogEvery = Math.Max(1, o.AlignmentSteps / 2),
        }, log))
        {
            trainer.Fit(new DpoObjective(setup, pairs, new DpoOptions { Beta = o.DpoBeta }));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        setup.SaveAdapter(Path.Combine(o.OutputDir, "adapters", "lora-dpo"));

        var after = Measure(client, setup, eval, baseSkill);
        var answerAfter = client.Say(story.Text);
        log.WriteLine($"\"{story.Text}\"  before DPO →{answerBefore}   after →{answerAfter}");
        log.WriteLine($"preference followed on {before.WinRate:P1} → {after.WinRate:P1} of {eval.Count} held-out stories; " +
            $"task accuracy {before.Accuracy:P1} → {after.Accuracy:P1}; base-skill loss {before.BaseLoss:F3} → {after.BaseLoss:F3}");
        return new AlignmentResult(pairs.Count, o.AlignmentSteps, before.WinRate, after.WinRate, before.Accuracy, after.Accuracy,
            before.BaseLoss, after.BaseLoss, seconds, answerBefore, answerAfter);
    }

    static (double WinRate, double Accuracy, double BaseLoss) Measure(LoraClient client, LoraSetup setup, IReadOnlyList<Story> eval, TokenizedDataset baseSkill) =>
        (eval.Count(s => World.FollowsPreference(s, client.Say(s.Text))) / (double)eval.Count,
         Quickstart.Measure.Accuracy(eval, s => client.Feel(s.Text)).Accuracy,
         Quickstart.Measure.LanguageModelLoss(setup, baseSkill));
}
