using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using ModelDsl.Data;
using ModelDsl.Tests.IO;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;
using Quickstart;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Precision;

/// <summary>
/// <see cref="TrainerOptions.Precision"/> end to end: pretraining the quickstart's model (<see cref="WorldGpt"/>, 3
/// blocks of width 64) on its world's documents, shortened to a few dozen steps so each run takes seconds.
/// </summary>
public sealed class MixedPrecisionTrainingTests(ITestOutputHelper output)
{
    static readonly World World = new(seed: 3);
    static readonly WordTokenizer Tokenizer = WordTokenizer.Build(World.Lexicon());
    static readonly Lazy<TokenizedDataset> Train = new(() => Documents(160, seed: 22));
    static readonly Lazy<TokenizedDataset> Eval = new(() => Documents(24, seed: 23));

    static TokenizedDataset Documents(int count, int seed) =>
        new Dataset(World.Documents(count, seed).Select(d => new TextExample(d))).Tokenize(Tokenizer, new TokenizationOptions
        {
            MaxLength = WorldGpt.Context, Pack = true, EosTokenId = WordTokenizer.EndOfText, PadTokenId = WordTokenizer.EndOfText,
        });

    static WorldGpt Model()
    {
        set_num_threads(1);
        manual_seed(5);
        return new WorldGpt();
    }

    static TrainerOptions Options(TrainingPrecision precision, int steps) => new()
    {
        MaxSteps = steps, BatchSize = 4, LearningRate = 1e-2, WarmupSteps = 5, Seed = 7, Precision = precision,
    };

    static Trainer NewTrainer(WorldGpt model, TrainerOptions options) => new(model, options, TextWriter.Null);

    [Fact]
    public void Bfloat16_training_of_the_quickstart_model_ends_within_two_percent_of_float32()
    {
        const int steps = 40;
        TrainingResult Run(TrainingPrecision precision, out WorldGpt trained)
        {
            trained = Model();
            using var trainer = NewTrainer(trained, Options(precision, steps));
            return trainer.Fit(Train.Value, Eval.Value);
        }

        var full = Run(TrainingPrecision.Float32, out var fullModel);
        var mixed = Run(TrainingPrecision.BFloat16, out var mixedModel);
        using (fullModel)
        using (mixedModel)
        {
            double fullLoss = full.Evaluations[^1].Loss, mixedLoss = mixed.Evaluations[^1].Loss;
            output.WriteLine($"eval loss after {steps} steps: float32 {fullLoss:F4}, bfloat16 {mixedLoss:F4} " +
                $"({(mixedLoss - fullLoss) / fullLoss:P2}); first train loss {full.Steps[0].Loss:F4} / {mixed.Steps[0].Loss:F4}");
            Assert.True(fullLoss < 0.6 * full.Steps[0].Loss, $"float32 did not learn: {full.Steps[0].Loss} → {fullLoss}");
            Assert.InRange(Math.Abs(mixedLoss - fullLoss) / fullLoss, 0, 0.02);
            // The model computes in bfloat16, the frozen-or-not distinction aside: every parameter was converted.
            Assert.All(mixedModel.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
            // The runs really differ (bfloat16 rounding), so the comparison is not of a run with itself.
            Assert.NotEqual(full.Steps.Select(s => s.Loss), mixed.Steps.Select(s => s.Loss));
        }
    }

    [Fact]
    public void Bfloat16_keeps_float32_masters_and_optimizer_state_in_its_checkpoints()
    {
        using var dir = new TempDirectory();
        using var model = Model();
        using var trainer = NewTrainer(model, Options(TrainingPrecision.BFloat16, 3) with { CheckpointDir = dir.Path });
        var result = trainer.Fit(Train.Value);
        using var checkpoint = Checkpoint.Load(result.LastCheckpoint!);

        Assert.Equal("bfloat16", checkpoint.State.Precision);
        Assert.All(checkpoint.Weights.Values, w => Assert.Equal(ScalarType.Float32, w.dtype));
        Assert.All(checkpoint.OptimizerState.Values, m => Assert.Equal(ScalarType.Float32, m.dtype));
        // The masters hold what bfloat16 cannot: some differ from their own rounding, and the model holds that rounding.
        var working = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var unrounded = 0;
        foreach (var (name, master) in checkpoint.Weights)
        {
            using var rounded = master.to_type(ScalarType.BFloat16);
            Assert.True(Same(rounded, working[name]), $"{name}: the model does not hold its master rounded to bfloat16");
            using var back = rounded.to_type(ScalarType.Float32);
            if (!Same(back, master)) unrounded++;
        }
        Assert.True(unrounded > 0, "every master is a bfloat16 value: the masters are not float32 copies");
    }

    [Fact]
    public void Float16_skips_steps_whose_gradients_overflow_and_lowers_the_scale_until_they_fit()
    {
        // A scale of 2^20 makes the first gradients overflow float16 (max 65504): those steps must change nothing.
        const double initialScale = 1048576.0;
        using var runDir = new TempDirectory();
        using var model = Model();
        using var trainer = NewTrainer(model, Options(TrainingPrecision.Float16, 20) with { InitialLossScale = initialScale, OutputDir = runDir.Path, LogEvery = 1 });
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float16, p.dtype));
        var initial = Snapshot(model);
        Dictionary<string, Tensor>? afterFirst = null;
        trainer.StepCompleted += s => { if (s.Step == 1) afterFirst = Snapshot(model); };

        var result = trainer.Fit(Train.Value);

        var steps = result.Steps;
        var skipped = steps.TakeWhile(s => s.Skipped).Count();
        output.WriteLine($"skipped {steps.Count(s => s.Skipped)} of {steps.Count} steps ({skipped} at the start); " +
            $"scale {initialScale:E2} → {trainer.LossScale:E2}; loss {steps[0].Loss:F4} → {steps[^1].Loss:F4}");
        Assert.True(skipped >= 1, "the first step did not overflow");
        Assert.True(steps.Count(s => !s.Skipped) >= 10, $"only {steps.Count(s => !s.Skipped)} steps trained");
        Assert.All(steps, s => Assert.Equal(s.Skipped, double.IsPositiveInfinity(s.GradientNorm)));
        // The scale halves after every overflow and stays otherwise (the clean steps are fewer than the growth interval).
        Assert.Equal(initialScale, steps[0].LossScale);
        for (var i = 1; i < steps.Count; i++)
            Assert.Equal(steps[i - 1].LossScale * (steps[i - 1].Skipped ? 0.5 : 1), steps[i].LossScale);
        Assert.Equal(steps[^1].LossScale * (steps[^1].Skipped ? 0.5 : 1), trainer.LossScale);
        // A skipped step leaves every weight as it was, bit for bit.
        Assert.All(initial, p => Assert.True(Same(p.Value, afterFirst![p.Key]), $"{p.Key} changed in a skipped step"));
        // No inf or NaN reached the weights, and the model learned once the gradients fit.
        Assert.All(model.named_parameters(), p => Assert.True(isfinite(p.parameter).all().item<bool>(), $"{p.name} is not finite"));
        Assert.True(steps[^1].Loss < 0.8 * steps[skipped].Loss, $"no learning after the overflow: {steps[skipped].Loss} → {steps[^1].Loss}");
        // metrics.jsonl records each step's scale and marks the skipped ones (whose infinite gradient norm JSON cannot hold).
        var records = File.ReadLines(Path.Combine(runDir.Path, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "train").ToList();
        Assert.Equal(steps.Select(s => (long)s.Step), records.Select(r => r.GetProperty("step").GetInt64()));
        foreach (var (step, record) in steps.Zip(records))
        {
            Assert.Equal(step.LossScale, record.GetProperty("loss_scale").GetDouble());
            Assert.Equal(step.Skipped, record.TryGetProperty("skipped", out var flag) && flag.GetBoolean());
            Assert.Equal(!step.Skipped, record.TryGetProperty("grad_norm", out _));
        }
    }

    [Fact]
    public void A_float16_run_resumed_from_a_checkpoint_continues_its_loss_scale_and_matches_a_straight_run()
    {
        const int steps = 12;
        using var dir = new TempDirectory();
        // Overflows at first, then grows every 3 clean steps: the scale and the growth count both cross the interruption,
        // and the optimizer's step count lags the trainer's.
        TrainerOptions Options(string folder) => MixedPrecisionTrainingTests.Options(TrainingPrecision.Float16, steps) with
        {
            InitialLossScale = 524288.0, LossScaleGrowthInterval = 3, CheckpointDir = dir.File(folder),
        };

        using var straightModel = Model();
        using var straightTrainer = NewTrainer(straightModel, Options("straight"));
        var straight = straightTrainer.Fit(Train.Value);
        Assert.Contains(straight.Steps, s => s.Skipped);

        var interruptAt = steps - 4;
        using var cts = new CancellationTokenSource();
        using var firstModel = Model();
        using var first = NewTrainer(firstModel, Options("resumed"));
        first.StepCompleted += s => { if (s.Step == interruptAt) cts.Cancel(); };
        var interrupted = first.Fit(Train.Value, null, cts.Token);
        Assert.Equal(StopReason.Cancelled, interrupted.StopReason);

        manual_seed(99);
        using var secondModel = new WorldGpt();
        using var second = NewTrainer(secondModel, Options("resumed"));
        second.Resume(dir.File("resumed"));
        Assert.Equal(first.LossScale, second.LossScale);
        var resumed = second.Fit(Train.Value);

        var stitched = interrupted.Steps.Concat(resumed.Steps).ToList();
        Assert.Equal(straight.Steps.Select(s => (s.Loss, s.LossScale, s.Skipped)), stitched.Select(s => (s.Loss, s.LossScale, s.Skipped)));
        Assert.Equal(straightTrainer.LossScale, second.LossScale);
        var expected = straightModel.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(secondModel.named_parameters(), p => Assert.True(Same(p.parameter, expected[p.name]), $"{p.name} differs after resuming"));
    }

    [Fact]
    public void Resuming_in_another_precision_is_refused_by_name()
    {
        using var dir = new TempDirectory();
        using (var model = Model())
        using (var trainer = NewTrainer(model, Options(TrainingPrecision.BFloat16, 2) with { CheckpointDir = dir.Path }))
            trainer.Fit(Train.Value);

        using var other = Model();
        using var float32 = NewTrainer(other, Options(TrainingPrecision.Float32, 2) with { CheckpointDir = dir.Path });
        var error = Assert.Throws<CheckpointException>(() => float32.Resume(dir.Path));
        Assert.Contains("bfloat16 run", error.Message);
        Assert.Contains("Precision = Float32", error.Message);
    }

    [Fact]
    public void A_half_precision_model_is_refused_because_its_masters_would_start_rounded()
    {
        using var model = Model();
        model.to(ScalarType.BFloat16);
        var error = Assert.Throws<ArgumentException>(() => NewTrainer(model, Options(TrainingPrecision.BFloat16, 2)));
        Assert.Contains("float32 master copies", error.Message);
        Assert.Contains("BFloat16", error.Message);
    }

    static bool Same(Tensor a, Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    static Dictionary<string, Tensor> Snapshot(WorldGpt model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());
}
