using ModelDsl.Tests.IO;
using System;
using System.Linq;
using System.Threading;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Tests.Training;

public sealed class TrainerBehaviourTests
{
    [Fact]
    public void Frozen_parameters_stay_put_and_vectors_get_no_weight_decay()
    {
        var train = ToyCorpus.Tokenized(16, seed: 10);
        using var model = TestRuns.Model();
        // A PEFT setup freezes its base like this.
        model.wte.weight.requires_grad = false;
        model.attn.c_attn.weight.requires_grad = false;
        var frozenBefore = model.wte.weight.clone();
        var trainableBefore = model.lm_head.weight.clone();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(3));

        Assert.DoesNotContain("wte.weight", trainer.TrainableParameterNames);
        Assert.DoesNotContain("attn.c_attn.weight", trainer.TrainableParameterNames);
        Assert.Contains("attn.c_attn.bias", trainer.TrainableParameterNames);
        var expectedCount = model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        Assert.Equal(expectedCount, trainer.TrainableParameterCount);
        Assert.Equal(["wpe.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight", "lm_head.weight"],
            trainer.DecayedParameterNames.ToArray());

        trainer.Fit(train);

        Assert.True(model.wte.weight.eq(frozenBefore).all().item<bool>(), "a frozen parameter changed");
        Assert.False(model.lm_head.weight.eq(trainableBefore).all().item<bool>(), "a trainable parameter did not change");
    }

    [Fact]
    public void Accumulating_two_half_batches_equals_one_full_batch()
    {
        var train = ToyCorpus.Tokenized(32, seed: 11);
        (double Loss, TorchSharp.torch.Tensor Weight) Run(int batch, int accumulation)
        {
            using var model = TestRuns.Model(seed: 4, dropout: 0);
            using var trainer = TestRuns.Trainer(model, TestRuns.Options(2) with { BatchSize = batch, GradientAccumulation = accumulation });
            var loss = trainer.Fit(train).Steps[0].Loss;
            return (loss, model.lm_head.weight.detach().clone());
        }

        var full = Run(8, 1);
        var halves = Run(4, 2);
        // Same sequences per step, and the loss is weighted by scored tokens, so only rounding differs.
        Assert.Equal(full.Loss, halves.Loss, 5);
        Assert.True(full.Weight.allclose(halves.Weight, rtol: 1e-4, atol: 1e-5), "accumulated gradients differ from the full batch's");
    }

    [Fact]
    public void Early_stopping_ends_the_run_after_the_patience_runs_out()
    {
        var train = ToyCorpus.Tokenized(16, seed: 12);
        var eval = ToyCorpus.Tokenized(8, seed: 13);
        using var model = TestRuns.Model();
        // No later evaluation can beat the first by 10 nats, so evaluations 2 and 3 count against the patience.
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(20) with { EvalEvery = 1, EarlyStoppingPatience = 2, EarlyStoppingMinDelta = 10 });

        var result = trainer.Fit(train, eval);

        Assert.Equal(StopReason.EarlyStopped, result.StopReason);
        Assert.Equal(3, result.Step);
        Assert.Equal(3, result.Evaluations.Count);
        Assert.Equal(result.Evaluations[0].Loss, result.BestEvalLoss);
    }

    [Fact]
    public void Cancellation_saves_a_checkpoint_and_returns_cleanly()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 14);
        using var model = TestRuns.Model();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(50) with { CheckpointDir = dir.Path });
        using var cts = new CancellationTokenSource();
        trainer.StepCompleted += s => { if (s.Step == 3) cts.Cancel(); };

        var result = trainer.Fit(train, cancellationToken: cts.Token);

        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(3, result.Step);
        Assert.NotNull(result.LastCheckpoint);
        using var checkpoint = ModelDsl.Training.Checkpoints.Checkpoint.Load(result.LastCheckpoint!);
        Assert.Equal(3, checkpoint.State.Step);
        Assert.Equal(result.LossHistory, checkpoint.State.StepLosses);
    }

    [Fact]
    public void A_model_that_is_not_a_causal_LM_is_refused_token_sequences_by_name()
    {
        // Such a module (a reward model) trains on a TrainingObjective; next-token data needs a causal LM.
        using var linear = TorchSharp.torch.nn.Linear(2, 2);
        using var trainer = new Trainer(linear, new TrainerOptions(), System.IO.TextWriter.Null);
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(ToyCorpus.Tokenized(4, seed: 1)));
        Assert.Contains("ICausalLanguageModel", error.Message);
        Assert.Contains("TrainingObjective", error.Message);
    }

    [Fact]
    public void Nonsensical_options_are_rejected_naming_the_option()
    {
        var error = Assert.Throws<ArgumentException>(() => new TrainerOptions { GradientAccumulation = 0 }.Validate());
        Assert.Contains("GradientAccumulation", error.Message);
        error = Assert.Throws<ArgumentException>(() => new TrainerOptions { LearningRate = double.NaN }.Validate());
        Assert.Contains("LearningRate", error.Message);
    }
}

public sealed class BudgetTests
{
    [Fact]
    public void An_epoch_budget_runs_whole_passes_over_the_data()
    {
        var train = ToyCorpus.Tokenized(20, seed: 18);
        using var model = TestRuns.Model();
        // 20 sequences in batches of 8: 3 batches (8, 8, 4) per epoch, so 2 epochs are 6 steps.
        using var trainer = TestRuns.Trainer(model, new TrainerOptions { Epochs = 2, BatchSize = 8, Seed = 1 });

        var result = trainer.Fit(train);

        Assert.Equal(StopReason.Completed, result.StopReason);
        Assert.Equal(6, result.TotalSteps);
        Assert.Equal([0, 0, 0, 1, 1, 1], result.Steps.Select(s => s.Epoch).ToArray());
        Assert.Equal(train.Sum(s => (long)s.Length) * 2, result.Steps.Sum(s => s.Tokens));
    }
}

public sealed class DataFitTests
{
    [Fact]
    public void Data_that_does_not_fit_the_model_is_refused_before_training()
    {
        using var model = new TinyLm(vocab: 10, context: 8);
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(2));

        var tooLong = new ModelDsl.Data.TokenizedDataset([new ModelDsl.Data.TokenizedSequence(new int[9], new int[9])]);
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(tooLong));
        Assert.Contains("9 tokens but the model's context is 8", error.Message);

        var badId = new ModelDsl.Data.TokenizedDataset([new ModelDsl.Data.TokenizedSequence([1, 12], [1, 12])]);
        error = Assert.Throws<ArgumentException>(() => trainer.Fit(badId));
        Assert.Contains("token id 12, outside the model's vocabulary of 10", error.Message);
    }
}
