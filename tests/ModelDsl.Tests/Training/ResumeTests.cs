using ModelDsl.Tests.IO;
using System.Linq;
using System.Threading;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Tests.Training;

public sealed class ResumeTests
{
    const int Steps = 12;

    static TrainerOptions Options(string checkpoints) => TestRuns.Options(Steps) with
    {
        // Accumulation, clipping, warmup and an epoch boundary (50 sequences / 8 = 7 batches per epoch)
        // all have to survive the interruption.
        GradientAccumulation = 2, ClipNorm = 0.5, EvalEvery = 4, CheckpointDir = checkpoints,
    };

    [Fact]
    public void An_interrupted_and_resumed_run_matches_a_straight_run_bit_for_bit()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(50, seed: 3);
        var eval = ToyCorpus.Tokenized(16, seed: 4);

        using var straightModel = TestRuns.Model(seed: 11);
        using var straightTrainer = TestRuns.Trainer(straightModel, Options(dir.File("straight")));
        var straight = straightTrainer.Fit(train, eval);

        // Interrupt at the half-way step through cancellation, as a user pressing Ctrl+C would.
        using var cts = new CancellationTokenSource();
        using var firstModel = TestRuns.Model(seed: 11);
        using var first = TestRuns.Trainer(firstModel, Options(dir.File("resumed")));
        first.StepCompleted += s => { if (s.Step == Steps / 2) cts.Cancel(); };
        var interrupted = first.Fit(train, eval, cts.Token);
        Assert.Equal(StopReason.Cancelled, interrupted.StopReason);
        Assert.Equal(Steps / 2, interrupted.Step);

        // A fresh model with different initial weights and a different global RNG state: everything must come from the checkpoint.
        using var secondModel = TestRuns.Model(seed: 99);
        TorchSharp.torch.manual_seed(12345);
        using var second = TestRuns.Trainer(secondModel, Options(dir.File("resumed")));
        second.Resume(dir.File("resumed"));
        var resumed = second.Fit(train, eval);

        Assert.Equal(StopReason.Completed, resumed.StopReason);
        Assert.Equal(Steps / 2, resumed.Steps.Count);
        var stitched = interrupted.Steps.Concat(resumed.Steps).Select(s => s.Loss).ToArray();
        Assert.Equal(straight.Steps.Select(s => s.Loss).ToArray(), stitched); // exact equality of doubles
        Assert.Equal(straight.LossHistory, resumed.LossHistory);
        Assert.Equal(straight.Evaluations.Select(e => e.Loss), interrupted.Evaluations.Concat(resumed.Evaluations).Select(e => e.Loss));

        var expected = straightModel.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in secondModel.named_parameters())
            Assert.True(parameter.eq(expected[name]).all().item<bool>(), $"parameter {name} differs after resuming");
    }

    [Fact]
    public void Runs_with_the_same_seed_are_identical_and_a_different_seed_differs()
    {
        var train = ToyCorpus.Tokenized(40, seed: 5);
        double[] Run(int seed)
        {
            using var model = TestRuns.Model(seed: 3);
            using var trainer = TestRuns.Trainer(model, TestRuns.Options(6) with { Seed = seed });
            return trainer.Fit(train).Steps.Select(s => s.Loss).ToArray();
        }

        var a = Run(1);
        Assert.Equal(a, Run(1));
        Assert.NotEqual(a, Run(2)); // the seed drives the data order and dropout
    }

    [Fact]
    public void Resuming_with_a_different_budget_is_refused_with_a_clear_message()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 5);
        using (var model = TestRuns.Model())
        using (var trainer = TestRuns.Trainer(model, TestRuns.Options(2) with { CheckpointDir = dir.Path }))
            trainer.Fit(train);

        // With MaxSteps set the plan is known at Resume, which refuses before changing anything.
        using var other = TestRuns.Model();
        using var resumed = TestRuns.Trainer(other, TestRuns.Options(5) with { CheckpointDir = dir.Path });
        var error = Assert.Throws<ModelDsl.Training.Checkpoints.CheckpointException>(() => resumed.Resume(dir.Path));
        Assert.Contains("planned for 2 steps", error.Message);
        Assert.Contains("plan 5", error.Message);

        // Without it the plan comes from the data and options, and Fit refuses before it trains or writes anything.
        using var byEpochs = TestRuns.Trainer(other, TestRuns.Options(2) with { MaxSteps = null, Epochs = 3, CheckpointDir = dir.Path });
        byEpochs.Resume(dir.Path);
        error = Assert.Throws<ModelDsl.Training.Checkpoints.CheckpointException>(() => byEpochs.Fit(train));
        Assert.Contains("planned for 2 steps", error.Message);
        Assert.Contains("plan 6", error.Message);
    }
}
