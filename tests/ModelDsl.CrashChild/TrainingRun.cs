using System;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;
using static TorchSharp.torch;

namespace ModelDsl.CrashChild;

/// <summary>
/// Trains a tiny GPT-2 for <see cref="Steps"/> steps on CPU with a fixed seed, checkpointing after every step into
/// <c>&lt;directory&gt;/checkpoints</c>. It is meant to be killed at any moment. The mode says how it treats the folder:
/// <c>fresh</c> starts a new run (refused when the folder holds another run's checkpoints), <c>resume</c> continues from
/// the newest checkpoint of the folder's run, <c>resume-older</c> from the one before it (so the run saves a step that
/// already exists again), <c>overwrite</c> starts a new run that replaces the folder's. Its standard output is a
/// protocol the test reads, one line each: <c>initial &lt;sha256&gt;</c> (fresh runs), <c>start &lt;step&gt;</c> (the step it
/// resumed at, 0 for a new run), <c>step &lt;n&gt;</c> (step n is trained and its checkpoint is about to be written),
/// <c>refused &lt;message&gt;</c> (the folder belongs to another run; exit code 3) and <c>final &lt;sha256&gt;</c> when done;
/// the digest and a summary of the final weights also go to <c>&lt;directory&gt;/final-weights.txt</c>.
/// </summary>
internal static class TrainingRun
{
    /// <summary>Optimizer steps of the whole run.</summary>
    public const int Steps = 300;

    public static bool IsMode(string mode) => mode is "fresh" or "resume" or "resume-older" or "overwrite";

    /// <summary>Trains (or resumes) the run in <paramref name="directory"/>; returns the exit code.</summary>
    public static int Run(string directory, string mode)
    {
        var checkpoints = Path.Combine(directory, "checkpoints");
        set_num_threads(1);
        manual_seed(1234);
        using var model = new Gpt2LMHeadModel(new Gpt2Config(Layers: 1, Dim: 64, Heads: 4, Vocab: ToyData.Vocab, Context: ToyData.Length));
        var options = new TrainerOptions
        {
            MaxSteps = Steps, BatchSize = 4, LearningRate = 1e-2, WarmupSteps = 3, Seed = 5,
            CheckpointDir = checkpoints, CheckpointEvery = 1, KeepLast = 2, OverwriteCheckpoints = mode == "overwrite",
        };
        using var trainer = new Trainer(model, options, TextWriter.Null);
        var from = mode switch
        {
            "resume" => CheckpointStore.Latest(checkpoints),
            "resume-older" => OlderThanNewest(checkpoints) ?? CheckpointStore.Latest(checkpoints),
            _ => null,
        };
        long start = 0;
        if (from is null) Console.WriteLine($"initial {WeightsDigest.Of(model)}");
        else
        {
            trainer.Resume(from);
            using var checkpoint = Checkpoint.Load(from);
            start = checkpoint.State.Step;
        }
        Console.WriteLine($"start {start}");
        trainer.StepCompleted += record => Console.WriteLine($"step {record.Step}");
        TrainingResult result;
        try { result = trainer.Fit(ToyData.Sequences()); }
        catch (CheckpointException refused)
        {
            Console.WriteLine($"refused {refused.Message}");
            return 3;
        }
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

    // The second-newest complete checkpoint; an old copy a killed re-save left aside counts as its step.
    static string? OlderThanNewest(string checkpoints) =>
        Directory.Exists(checkpoints)
            ? Directory.GetDirectories(checkpoints, "step-*")
                .Where(d => File.Exists(Path.Combine(d, Checkpoint.StateFile)))
                .GroupBy(Step)
                .OrderBy(g => g.Key)
                .Select(g => g.OrderBy(d => d.Contains(".old-", StringComparison.Ordinal)).First())
                .SkipLast(1).LastOrDefault()
            : null;

    static long Step(string directory)
    {
        var name = Path.GetFileName(directory)["step-".Length..];
        var old = name.IndexOf(".old-", StringComparison.Ordinal);
        return long.Parse(old < 0 ? name : name[..old], CultureInfo.InvariantCulture);
    }
}
