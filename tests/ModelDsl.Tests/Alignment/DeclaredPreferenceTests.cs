using System;
using System.IO;
using System.Linq;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using ModelDsl.Training.Alignment;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Alignment;

// Preference tuning declared on setups completed by the real generator.

[Gpt2(Layers = 2, Dim = 32, Heads = 4, Vocab = 64, Context = 64)]
public partial class DeclaredAlignmentGpt2;

[FineTune<DeclaredAlignmentGpt2>]
[LoRA(4, Alpha = 8)]
[Dpo(Beta = 0.5, LabelSmoothing = 0.1)]
[RewardHead]
public partial class DeclaredAlignmentLora;

public sealed class DeclaredPreferenceTests
{
    const int Rank = 4, Dim = 32, Layers = 2;

    static DeclaredAlignmentGpt2 Model(int seed)
    {
        Assert.True(ToyCorpus.Tokenizer.VocabularySize <= 64, "the toy tokenizer must fit the declared vocabulary");
        set_num_threads(1);
        manual_seed(seed);
        return new DeclaredAlignmentGpt2();
    }

    static TrainerOptions Options => new() { MaxSteps = 6, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 0, Seed = 3 };

    [Fact]
    public void A_setup_declared_with_dpo_trains_with_the_declared_options_against_itself_with_adapters_disabled()
    {
        using var setup = new DeclaredAlignmentLora(Model(seed: 51));
        var objective = setup.DpoObjective(PreferenceTask.Pairs(PreferenceTask.Split().Train));

        Assert.Equal(new DpoOptions { Beta = 0.5, LabelSmoothing = 0.1, Loss = PreferenceLoss.Sigmoid }, objective.Options);
        Assert.Same(DpoReference.AdaptersDisabled, objective.Reference);
        using var trainer = new Trainer(setup, Options, TextWriter.Null);
        var result = trainer.Fit(objective);

        // A fresh adapter is a no-op, so the first step's policy equals its reference: h = 0, and the smoothed sigmoid
        // loss −(1 − ε)·log σ(0) − ε·log σ(0) is log 2 whatever β and ε are.
        Assert.Equal(Math.Log(2), result.Steps[0].Loss, 1e-6);
        Assert.Equal(0, result.Steps[0].Metrics!["rewards/margins"], 1e-6);
        Assert.True(result.Steps[^1].Loss < result.Steps[0].Loss, $"loss {result.Steps[0].Loss} -> {result.Steps[^1].Loss}");
        Assert.True(result.Steps[^1].Metrics!["rewards/margins"] > 0, $"margin {result.Steps[^1].Metrics!["rewards/margins"]}");
    }

    [Fact]
    public void A_setup_declared_with_a_reward_head_builds_a_reward_model_whose_adapters_and_head_train()
    {
        var setup = new DeclaredAlignmentLora(Model(seed: 52));
        using var reward = setup.CreateRewardModel();   // owns the trunk, and with it the setup's adapters

        Assert.Equal("GPT2ForSequenceClassification", reward.Architecture);
        // LoRA on c_attn ([32 → 96]) in both blocks, r·(in + out) each, plus the score head's [1, 32].
        long expected = Layers * Rank * (Dim + 3 * Dim) + Dim;
        Assert.Equal(expected, reward.parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
        Assert.Equal(DeclaredAlignmentLora.TrainableParameterCount + Dim, expected);

        using var trainer = new Trainer(reward, Options, TextWriter.Null);
        var result = trainer.Fit(new RewardObjective(reward, PreferenceTask.Pairs(PreferenceTask.Split().Train)));
        Assert.All(result.Steps, s => Assert.True(double.IsFinite(s.Loss)));
        Assert.True(result.Steps[^1].Loss < result.Steps[0].Loss, $"loss {result.Steps[0].Loss} -> {result.Steps[^1].Loss}");
    }

    [Fact]
    public void Every_declared_loss_names_a_runtime_loss_and_back() =>
        // The generator writes [Dpo]'s DpoLossType member as PreferenceLoss.<same name>.
        Assert.Equal(Enum.GetNames<PreferenceLoss>().Order(), Enum.GetNames<DpoLossType>().Order());
}
