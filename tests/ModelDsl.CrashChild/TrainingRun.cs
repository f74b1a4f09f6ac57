using System;
using System.IO;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;
using static TorchSharp.torch;

namespace ModelDsl.CrashChild;

/// <summary>
/// Trains a tiny GPT-2 for <see cref="Steps"/> steps on CPU with a fixed seed, checkpointing after every step into
/// <c>&lt;directory&gt;/checkpoints</c>, and resumes from the newest complete checkpoint when there is one. It is
/// meant to be killed at any moment. Its standard output is a protocol the test reads, one line each:
/// <c>start &lt;step&gt;</c> (the step it resumed at, 0 for a fresh run), <c>step &lt;n&gt;</c> (step n is trained and its
/// checkpoint is about to be written), and <c>final &lt;sha256&gt;</c> when done; the digest and a summary of the
/// final weights also go to <c>&lt;directory&gt;/final-weights.txt</c>.
/// </summary>
internal static class TrainingRun
{
    /// <summary>Optimizer steps of the whole run.</summary>
    public const int Steps = 300;

    /// <summary>Trains (or resumes) the run in <paramref name="directory"/>; returns the exit code.</summary>
    public static int Run(string directory)
    {
        var checkpoints = Path.Combine(directory, "checkpoints");
        set_num_threads(1);
        manual_seed(1234);
        using var model = new Gpt2LMHeadModel(new Gpt2Config(Layers: 1, Dim: 64, Heads: 4, Vocab: ToyData.Vocab, Context: ToyData.Length));
        var options = new TrainerOptions
        {
            MaxSteps = Steps, BatchSize = 4, LearningRate = 1e-2, WarmupSteps = 3, Seed = 5,
            CheckpointDir = checkpoints, CheckpointEvery = 1, KeepLast = 2,
        };
        using var trainer = new Trainer(model, options, TextWriter.Null);
        var latest = CheckpointStore.Latest(checkpoints);
        long start = 0;
        if (latest is null) Console.WriteLine($"initial {WeightsDigest.Of(model)}");
        else
        {
            trainer.Resume(latest);
            using var checkpoint = Checkpoint.Load(latest);
            start = checkpoint.State.Step;
        }
        Console.WriteLine($"start {start}");
        trainer.StepCompleted += record => Console.WriteLine($"step {record.Step}");
        var result = trainer.Fit(ToyData.Sequences());
        if (result.StopReason != StopReason.Completed)
        {
            Console.Error.WriteLine($"the run stopped early: {result.StopReason}");
            return 1;
        }
        var digest = WeightsDigest.Of(model);
        AtomicFile.Write(Path.Combine(directory, "final-weights.txt"), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true); // AtomicFile flushes the stream to disk itself
            writer.WriteLine($"sha256 {digest}");
            writer.WriteLine(WeightsDigest.Summary(model));
        });
        Console.WriteLine($"final {digest}");
        return 0;
    }
}
