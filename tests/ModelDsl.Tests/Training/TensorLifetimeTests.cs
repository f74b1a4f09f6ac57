using ModelDsl.Layers.Autograd;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Training.Support;
using TorchSharp;
using Xunit;

namespace ModelDsl.Tests.Training;

public sealed class TensorLifetimeTests
{
    [Fact]
    public void No_tensor_outlives_its_step()
    {
        var train = ToyCorpus.Tokenized(16, seed: 24);
        var eval = ToyCorpus.Tokenized(8, seed: 25);
        long LiveTensorsLeftBy(int steps)
        {
            using var dir = new TempDirectory();
            using var model = TestRuns.Model();
            using var trainer = TestRuns.Trainer(model, TestRuns.Options(steps) with
            {
                GradientAccumulation = 2, EvalEvery = 1, CheckpointDir = dir.Path, CheckpointEvery = 1,
            });
            // An earlier test on this thread may have left a custom function's gradients parked; the run would free them.
            CustomFunctionTensors.ReleaseParked();
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            trainer.Fit(train, eval);
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }

        // Whatever a run keeps for good (nothing, ideally) must not grow with the number of steps.
        var shortRun = LiveTensorsLeftBy(2);
        var longRun = LiveTensorsLeftBy(8);
        Assert.Equal(shortRun, longRun);
    }
}
