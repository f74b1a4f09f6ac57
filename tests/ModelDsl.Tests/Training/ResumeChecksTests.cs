using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.IO;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// <c>Resume</c> checks everything before it changes anything: a checkpoint that does not fit leaves the model's
/// weights exactly as they were and is refused with <see cref="CheckpointException"/>.
/// </summary>
public sealed class ResumeChecksTests
{
    // A finished 2-step run's checkpoint folder.
    static string WriteCheckpoint(TempDirectory dir, int steps = 2, int seed = 7)
    {
        var root = dir.File("ckpt");
        using var model = TestRuns.Model();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(steps) with { CheckpointDir = root, Seed = seed });
        trainer.Fit(ToyCorpus.Tokenized(16, seed: 5));
        return CheckpointStore.Latest(root)!;
    }

    static Dictionary<string, Tensor> Weights(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    static void AssertUnchanged(Dictionary<string, Tensor> before, nn.Module model)
    {
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.eq(before[name]).all().item<bool>(), $"'{name}' changed although Resume refused the checkpoint");
    }

    static CheckpointException RefuseResume(string checkpoint, TrainerOptions? options = null)
    {
        using var model = TestRuns.Model(seed: 3);
        var before = Weights(model);
        using var trainer = TestRuns.Trainer(model, options ?? TestRuns.Options(2));
        var error = Assert.Throws<CheckpointException>(() => trainer.Resume(checkpoint));
        AssertUnchanged(before, model);
        return error;
    }

    [Fact]
    public void Optimizer_state_of_the_wrong_shape_is_refused_before_any_weight_is_copied()
    {
        using var dir = new TempDirectory();
        var checkpoint = WriteCheckpoint(dir);
        var optimizer = Path.Combine(checkpoint, Checkpoint.OptimizerFile);
        Dictionary<string, Tensor> moments;
        using (var content = SafetensorsFile.Read(optimizer))
            moments = content.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var first = moments.Keys.Order().First();
        moments[first] = zeros(3, 3);
        SafetensorsFile.Write(optimizer, moments);

        var error = RefuseResume(checkpoint);
        Assert.Contains(first, error.Message);
    }

    [Fact]
    public void A_corrupt_trainer_state_is_refused_with_the_sdks_exception()
    {
        using var dir = new TempDirectory();
        var checkpoint = WriteCheckpoint(dir);
        File.WriteAllText(Path.Combine(checkpoint, Checkpoint.StateFile), "{\"Step\": 2, \"TotalSteps\": ");

        var error = RefuseResume(checkpoint);
        Assert.Contains(Checkpoint.StateFile, error.Message);
    }

    [Fact]
    public void A_trainer_state_that_names_a_path_as_its_best_checkpoint_is_refused()
    {
        using var dir = new TempDirectory();
        var checkpoint = WriteCheckpoint(dir);
        var state = Path.Combine(checkpoint, Checkpoint.StateFile);
        File.WriteAllText(state, File.ReadAllText(state).Replace("\"BestCheckpoint\": null", "\"BestCheckpoint\": \"../../elsewhere\""));

        Assert.Contains("BestCheckpoint", RefuseResume(checkpoint).Message);
    }

    [Fact]
    public void A_checkpoint_of_another_step_plan_is_refused_at_resume_when_the_plan_is_known()
    {
        using var dir = new TempDirectory();
        var checkpoint = WriteCheckpoint(dir, steps: 2);

        var error = RefuseResume(checkpoint, TestRuns.Options(5));
        Assert.Contains("planned for 2 steps", error.Message);
        Assert.Contains("plan 5", error.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_seed_is_refused_because_the_seed_orders_the_data()
    {
        using var dir = new TempDirectory();
        var checkpoint = WriteCheckpoint(dir, seed: 7);

        var error = RefuseResume(checkpoint, TestRuns.Options(2) with { Seed = 8 });
        Assert.Contains("Seed 7", error.Message);
    }

    [Fact]
    public void Weights_that_do_not_fit_leave_the_model_untouched()
    {
        using var dir = new TempDirectory();
        var checkpoint = WriteCheckpoint(dir);
        var weights = Path.Combine(checkpoint, Checkpoint.WeightsFile);
        Dictionary<string, Tensor> tensors;
        using (var content = SafetensorsFile.Read(weights))
            tensors = content.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        // The last weight (in the order Resume copies) gets a wrong shape: the ones before it must not be copied either.
        const string last = "lm_head.weight";
        Assert.Contains(last, tensors.Keys);
        tensors[last] = zeros(1);
        SafetensorsFile.Write(weights, tensors);

        Assert.Contains(last, RefuseResume(checkpoint).Message);
    }
}
