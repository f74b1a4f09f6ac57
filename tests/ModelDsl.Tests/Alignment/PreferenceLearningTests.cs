using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using ModelDsl.Training.Alignment;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Alignment;

public sealed class PreferenceLearningTests(ITestOutputHelper output)
{
    static readonly TokenizationOptions Sft = new() { EosTokenId = CharTokenizer.Eos, PadTokenId = CharTokenizer.Pad };

    [Fact]
    public void Dpo_with_lora_learns_the_preference_on_held_out_prompts_and_beats_the_sft_model()
    {
        var (train, heldOut) = PreferenceTask.Split();
        using var model = AlignmentModels.Gpt2(seed: 31);
        using (var sft = new Trainer(model, new TrainerOptions { MaxSteps = 400, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 10, Seed = 3 }, TextWriter.Null))
            sft.Fit(PreferenceTask.Sft(train, copies: 20), null, ToyCorpus.Tokenizer, Sft);

        using var setup = new ModelDsl.Tests.Peft.Gpt2LoraSetup(model, new ModelDsl.Peft.LoraSettings(rank: 8, alpha: 16));
        var options = new DpoOptions { Beta = 0.5 };
        var heldOutPairs = new DpoObjective(setup, PreferenceTask.Pairs(heldOut), options);
        using var trainer = new Trainer(setup, new TrainerOptions { MaxSteps = 40, BatchSize = 16, LearningRate = 2e-3, WarmupSteps = 4, Seed = 3 }, TextWriter.Null);
        var before = trainer.Evaluate(heldOutPairs);
        var result = trainer.Fit(new DpoObjective(setup, PreferenceTask.Pairs(train), options), heldOutPairs);
        var after = result.Evaluations.Single();

        setup.eval();
        double wins = 0;
        int sftFollows = 0, dpoFollows = 0;
        foreach (var item in heldOut)
        {
            var dpoAnswer = PreferenceTask.Answer(setup, item.Prompt);
            string sftAnswer;
            using (setup.DisableAdapters()) sftAnswer = PreferenceTask.Answer(setup, item.Prompt);
            output.WriteLine($"{item.Prompt} SFT '{sftAnswer}' DPO '{dpoAnswer}'");
            bool dpo = PreferenceTask.FollowsRule(item, dpoAnswer), sft = PreferenceTask.FollowsRule(item, sftAnswer);
            wins += dpo == sft ? 0.5 : dpo ? 1 : 0;
            sftFollows += sft ? 1 : 0;
            dpoFollows += dpo ? 1 : 0;
        }
        var winRate = wins / heldOut.Length;
        output.WriteLine($"held-out reward accuracy {before.Metrics!["rewards/accuracies"]:P0} -> {after.Metrics!["rewards/accuracies"]:P0}, "
            + $"loss {before.Loss:F3} -> {after.Loss:F3}; rule followed by SFT {sftFollows}/16, DPO {dpoFollows}/16; win-rate {winRate:P0}");
        Assert.True(after.Metrics["rewards/accuracies"] >= 0.9, $"held-out reward accuracy {after.Metrics["rewards/accuracies"]:P0}");
        Assert.True(winRate >= 0.8, $"win-rate {winRate:P0} against the SFT model");
    }

    [Fact]
    public void A_reward_model_trained_with_bradley_terry_ranks_held_out_pairs_by_the_rule()
    {
        var (train, heldOut) = PreferenceTask.Split();
        using var reward = new RewardModel(AlignmentModels.Gpt2(seed: 32));
        using var trainer = new Trainer(reward, new TrainerOptions { MaxSteps = 60, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 5, Seed = 3 }, TextWriter.Null);
        var heldOutPairs = new RewardObjective(reward, PreferenceTask.Pairs(heldOut));
        var before = trainer.Evaluate(heldOutPairs);
        trainer.Fit(new RewardObjective(reward, PreferenceTask.Pairs(train)));
        var after = trainer.Evaluate(heldOutPairs);

        output.WriteLine($"held-out accuracy {before.Metrics!["rewards/accuracies"]:P0} -> {after.Metrics!["rewards/accuracies"]:P0}, loss {before.Loss:F3} -> {after.Loss:F3}");
        Assert.True(after.Metrics["rewards/accuracies"] >= 0.9, $"held-out accuracy {after.Metrics["rewards/accuracies"]:P0}");
        // Ranking candidates: the rule's answer first.
        var item = heldOut[0];
        var ranked = reward.Rank(ToyCorpus.Tokenizer, item.Prompt, [" " + item.Subject, " " + item.Object], CharTokenizer.Eos);
        Assert.Equal(1, ranked[0]);
    }
}
