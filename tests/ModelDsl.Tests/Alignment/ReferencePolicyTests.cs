using System;
using System.Linq;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using ModelDsl.Training.Alignment;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Alignment;

public sealed class ReferencePolicyTests
{
    [Fact]
    public void Lora_reference_with_adapters_disabled_equals_a_separately_loaded_frozen_base_bit_for_bit()
    {
        using var dir = new TempDirectory();
        using (var saved = AlignmentModels.Gpt2(seed: 11)) saved.SavePretrained(dir.Path);
        using var model = AlignmentModels.Gpt2(seed: 99);
        model.LoadPretrained(dir.Path);
        using var setup = AlignmentModels.Lora(model);
        AlignmentModels.Perturb(setup, seed: 12);
        using var frozen = AlignmentModels.Gpt2(seed: 98);
        frozen.LoadPretrained(dir.Path);
        var data = AlignmentModels.Pairs(("the cat sees", " the sun.", " a tree."), ("a dog", " likes my hat.", " finds."));
        var options = new DpoOptions();

        var disabled = DpoReference.AdaptersDisabled.Bind(setup, data, options);
        var separate = DpoReference.FrozenModel(frozen).Bind(setup, data, options);
        using var batch = PreferenceBatch.Collate(data, [0, 1], device: null);
        var (c1, r1) = disabled.LogProbs([0, 1], batch);
        var (c2, r2) = separate.LogProbs([0, 1], batch);

        Assert.True(c1.eq(c2).all().item<bool>() && r1.eq(r2).all().item<bool>(),
            $"reference log-probabilities differ by {(c1 - c2).abs().max().item<float>()} / {(r1 - r2).abs().max().item<float>()}; "
            + $"mode {setup.training}/{frozen.training}; dtypes {c1.dtype}/{c2.dtype}");
        // The adapters are on again afterwards, and they do change the answer log-probabilities.
        Assert.False(setup.AreAdaptersDisabled);
        var (pc, _) = DpoReference.Score(setup, batch, options);
        Assert.False(pc.eq(c1).all().item<bool>());
    }

    [Fact]
    public void Full_fine_tuning_precomputes_the_reference_once_from_the_starting_weights()
    {
        using var model = AlignmentModels.Gpt2(seed: 13);
        var data = AlignmentModels.Pairs(("the cat sees", " the sun.", " a tree."), ("a dog", " likes my hat.", " finds."));
        var objective = new DpoObjective(model, data, new DpoOptions { Beta = 0.5 });
        Assert.Same(DpoReference.Precomputed, objective.Reference);
        // Policy == reference before training: every implicit reward is 0.
        var before = objective.Evaluate(batchSize: 2, step: 0, device: null);
        Assert.Equal(0, before.Metrics!["rewards/chosen"], 1e-5);
        Assert.Equal(Math.Log(2), before.Loss, 1e-5);

        using var trainer = new Trainer(model, new TrainerOptions { MaxSteps = 5, BatchSize = 2, LearningRate = 1e-3, Seed = 1 }, System.IO.TextWriter.Null);
        var result = trainer.Fit(objective);
        var after = objective.Evaluate(batchSize: 2, step: 5, device: null);
        // The reference stayed where it was while the policy moved towards the chosen answers.
        Assert.True(after.Metrics!["rewards/margins"] > 0, $"margin {after.Metrics["rewards/margins"]}");
        Assert.True(after.Loss < before.Loss);
        Assert.Equal(5, result.Steps.Count);
        Assert.All(result.Steps, s => Assert.Contains("rewards/accuracies", s.Metrics!.Keys));
    }

    [Fact]
    public void Declaration_mistakes_are_refused_with_what_would_fix_them()
    {
        using var model = AlignmentModels.Gpt2(seed: 14);
        var data = AlignmentModels.Pairs(("the cat sees", " the sun.", " a tree."));

        var beta = Assert.Throws<ArgumentException>(() => new DpoObjective(model, data, new DpoOptions { Beta = 0 }));
        Assert.Contains("β must be a positive, finite number", beta.Message);
        var smoothing = Assert.Throws<ArgumentException>(() => new DpoOptions { Loss = PreferenceLoss.Ipo, LabelSmoothing = 0.1 }.Validate());
        Assert.Contains("sigmoid loss only", smoothing.Message);

        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        var frozen = Assert.Throws<ArgumentException>(() => new DpoObjective(model, data));
        Assert.Contains("nothing to train", frozen.Message);

        using var custom = new TinyLm(ToyCorpus.Tokenizer.VocabularySize);
        var head = Assert.Throws<ArgumentException>(() => new RewardModel(custom));
        Assert.Contains("does not implement IHiddenStateModel", head.Message);

        var notPeft = Assert.Throws<ArgumentException>(() => new DpoObjective(AlignmentModels.Gpt2(seed: 15), data, reference: DpoReference.AdaptersDisabled));
        Assert.Contains("DpoReference.Precomputed", notPeft.Message);
    }
}
