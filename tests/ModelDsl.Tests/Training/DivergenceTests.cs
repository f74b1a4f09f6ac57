using ModelDsl.Tests.IO;
using System.IO;
using System.Linq;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;
using Xunit;

namespace ModelDsl.Tests.Training;

public sealed class DivergenceTests
{
    [Fact]
    public void An_absurd_learning_rate_stops_with_the_step_the_causes_and_a_loadable_checkpoint()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(32, seed: 6);
        using var model = TestRuns.Model();
        // A rate of 1e5 (ramping up over 20 steps, no clipping) blows the weights up within a few steps; a checkpoint is written after each.
        var options = TestRuns.Options(40) with
        {
            LearningRate = 1e5, WarmupSteps = 20, ClipNorm = 0, CheckpointDir = dir.Path, CheckpointEvery = 1, KeepLast = 3,
        };
        using var trainer = TestRuns.Trainer(model, options);

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(train));

        Assert.True(error.Step > 2, error.Message);
        Assert.Contains($"step {error.Step}", error.Message);
        Assert.Contains("learning rate", error.Message);
        Assert.Contains("bad data", error.Message);
        Assert.Contains("fp16", error.Message);
        Assert.NotNull(error.LastGoodCheckpoint);
        Assert.Contains(error.LastGoodCheckpoint!, error.Message);
        Assert.True(Directory.Exists(error.LastGoodCheckpoint));

        // The last good checkpoint loads, holds finite weights, and a fresh trainer can resume from it.
        using (var checkpoint = Checkpoint.Load(error.LastGoodCheckpoint!))
        {
            Assert.InRange(checkpoint.State.Step, 1, error.Step - 1);
            Assert.All(checkpoint.Weights.Values, w => Assert.True(w.isfinite().all().item<bool>()));
            Assert.All(checkpoint.State.StepLosses, l => Assert.True(double.IsFinite(l)));
        }
        using var fresh = TestRuns.Model(seed: 5);
        using var again = TestRuns.Trainer(fresh, options with { LearningRate = 1e-3 });
        again.Resume(error.LastGoodCheckpoint!);
        Assert.All(fresh.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
        // "Good" means its weights still give a finite loss (the checkpoint just before the failing step may not).
        Assert.True(double.IsFinite(again.Evaluate(train).Loss));
    }
}
