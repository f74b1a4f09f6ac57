using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using ModelDsl.Models;
using ModelDsl.Tests.IO;
using ModelDsl.Training;
using ModelDsl.Training.Alignment;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Alignment;

public sealed class PreferenceTrainingRunTests
{
    const int Steps = 8;

    static TrainerOptions Options(string root) => new()
    {
        MaxSteps = Steps, BatchSize = 4, GradientAccumulation = 2, LearningRate = 2e-3, WarmupSteps = 2, Seed = 5, EvalEvery = 4,
        CheckpointDir = Path.Combine(root, "checkpoints"), OutputDir = Path.Combine(root, "out"),
    };

    // A LoRA setup over the same pretrained base each time (the frozen base must be identical when resuming).
    static ModelDsl.Tests.Peft.Gpt2LoraSetup Setup(int adapterSeed)
    {
        var model = AlignmentModels.Gpt2(seed: 41);
        manual_seed(adapterSeed);
        return AlignmentModels.Lora(model);
    }

    [Fact]
    public void An_interrupted_dpo_run_resumes_bit_for_bit_and_writes_its_metrics_once_per_step()
    {
        using var dir = new TempDirectory();
        var (trainItems, heldOut) = PreferenceTask.Split();
        var train = PreferenceTask.Pairs(trainItems);
        var eval = PreferenceTask.Pairs(heldOut[..6]);

        using var straightSetup = Setup(adapterSeed: 1);
        using var straightTrainer = new Trainer(straightSetup, Options(dir.File("straight")), TextWriter.Null);
        var straight = straightTrainer.Fit(new DpoObjective(straightSetup, train), new DpoObjective(straightSetup, eval));

        using var cts = new CancellationTokenSource();
        using var firstSetup = Setup(adapterSeed: 1);
        using var first = new Trainer(firstSetup, Options(dir.File("resumed")), TextWriter.Null);
        first.StepCompleted += s => { if (s.Step == 3) cts.Cancel(); };
        var interrupted = first.Fit(new DpoObjective(firstSetup, train), new DpoObjective(firstSetup, eval), cts.Token);
        Assert.Equal(StopReason.Cancelled, interrupted.StopReason);

        using var secondSetup = Setup(adapterSeed: 2);   // other adapter weights: everything must come from the checkpoint
        using var second = new Trainer(secondSetup, Options(dir.File("resumed")), TextWriter.Null);
        second.Resume(dir.File("resumed/checkpoints"));
        var resumed = second.Fit(new DpoObjective(secondSetup, train), new DpoObjective(secondSetup, eval));

        var stitched = interrupted.Steps.Concat(resumed.Steps).ToArray();
        Assert.Equal(straight.Steps.Select(s => s.Loss), stitched.Select(s => s.Loss));   // exact doubles
        Assert.Equal(straight.Steps.Select(s => s.Metrics!["rewards/margins"]), stitched.Select(s => s.Metrics!["rewards/margins"]));
        foreach (var (name, parameter) in straightSetup.TrainableParameters().Zip(secondSetup.TrainableParameters()).Select((p, i) => (i, p)))
            Assert.True(parameter.First.eq(parameter.Second).all().item<bool>(), $"trainable parameter {name} differs after resuming");

        // metrics.jsonl: each step once, with DPO's metrics; evaluations carry them too and leave out perplexity.
        var lines = File.ReadAllLines(dir.File("resumed/out/metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var trainLines = lines.Where(l => l.GetProperty("type").GetString() == "train").ToArray();
        Assert.Equal(Enumerable.Range(1, Steps), trainLines.Select(l => l.GetProperty("step").GetInt32()));
        Assert.Equal(straight.Steps[^1].Metrics!["rewards/accuracies"], trainLines[^1].GetProperty("rewards/accuracies").GetDouble());
        foreach (var name in new[] { "rewards/chosen", "rewards/rejected", "rewards/margins", "logps/chosen", "logps/rejected" })
            Assert.True(trainLines.All(l => l.TryGetProperty(name, out _)), name);
        var evalLine = lines.Last(l => l.GetProperty("type").GetString() == "eval");
        Assert.Equal(straight.Evaluations[^1].Metrics!["rewards/accuracies"], evalLine.GetProperty("rewards/accuracies").GetDouble());
        Assert.False(evalLine.TryGetProperty("perplexity", out _));
    }

    [Fact]
    public void An_objective_bound_to_another_module_is_refused()
    {
        using var setup = Setup(adapterSeed: 1);
        using var other = Setup(adapterSeed: 1);
        var data = PreferenceTask.Pairs(PreferenceTask.Split().HeldOut);
        using var trainer = new Trainer(setup, new TrainerOptions { MaxSteps = 1 }, TextWriter.Null);
        var error = Assert.Throws<System.ArgumentException>(() => trainer.Fit(new DpoObjective(other, data)));
        Assert.Contains("build it over the same module", error.Message);
    }
}
