using System.IO;
using System.Linq;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;
using Xunit;

namespace ModelDsl.Tests.Training;

[Collection(TorchRngCollection.Name)]
public sealed class DivergenceTests
{
    [Fact]
    public void An_absurd_learning_rate_stops_with_the_step_the_causes_and_a_loadable_checkpoint()
    {
        using var dir = new TempDir();
        var train = ToyCorpus.Tokenized(32, seed: 6);
        using var model = TestRuns.Model();
        // Two sane steps write checkpoints; then the rate jumps to 1e30 (no warmup, no clipping) and the weights blow up.
        var options = TestRuns.Options(40) with
        {
            LearningRate = 1e30, WarmupSteps = 20, ClipNorm = 0, CheckpointDir = dir.Path, CheckpointEvery = 1, KeepLast = 3,
        };
        using var trainer = TestRuns.Trainer(model, options);

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(train));

        Assert.True(error.Step > 1, $"diverged at step {error.Step}");
        Assert.Contains($"step {error.Step}", error.Message);
        Assert.Contains("learning rate", error.Message);
        Assert.Contains("bad data", error.Message);
        Assert.Contains("fp16", error.Message);
        Assert.NotNull(error.LastGoodCheckpoint);
        Assert.Contains(error.LastGoodCheckpoint!, error.Message);
        Assert.Equal(CheckpointStore.NameFor(error.Step - 1), Path.GetFileName(error.LastGoodCheckpoint));

        // The last good checkpoint loads, holds finite weights, and a fresh trainer can resume from it.
        using (var checkpoint = Checkpoint.Load(error.LastGoodCheckpoint!))
        {
            Assert.Equal(error.Step - 1, checkpoint.State.Step);
            Assert.All(checkpoint.Weights.Values, w => Assert.True(w.isfinite().all().item<bool>()));
            Assert.All(checkpoint.State.StepLosses, l => Assert.True(double.IsFinite(l)));
        }
        using var fresh = TestRuns.Model(seed: 5);
        using var again = TestRuns.Trainer(fresh, options with { LearningRate = 1e-3 });
        again.Resume(error.LastGoodCheckpoint!);
        Assert.All(fresh.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }
}
