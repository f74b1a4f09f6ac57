using ModelDsl.Tests.IO;
using System;
using System.IO;
using System.Linq;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;
using Xunit;

namespace ModelDsl.Tests.Training;

public sealed class CheckpointCrashTests
{
    [Fact]
    public void A_checkpoint_write_that_dies_midway_leaves_the_previous_checkpoint_loadable()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 7);
        using var model = TestRuns.Model();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(6) with { CheckpointDir = dir.Path, CheckpointEvery = 2 });
        // Simulate a crash after the weights of step 4 are on disk but before the rest.
        trainer.Checkpoints!.FileWritten = path =>
        {
            if (path.Contains(CheckpointStore.NameFor(4)) && path.EndsWith(Checkpoint.WeightsFile, StringComparison.Ordinal))
                throw new IOException("simulated crash mid-checkpoint");
        };

        Assert.Throws<IOException>(() => trainer.Fit(train));

        Assert.Equal(CheckpointStore.NameFor(2), Path.GetFileName(CheckpointStore.Latest(dir.Path)));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, CheckpointStore.NameFor(4))));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".tmp-*")); // the half-written copy is cleaned up
        using var checkpoint = Checkpoint.Load(dir.Path);
        Assert.Equal(2, checkpoint.State.Step);
        Assert.Equal(trainer.TrainableParameterNames.OrderBy(n => n), checkpoint.Weights.Keys.OrderBy(n => n));
    }

    [Fact]
    public void A_leftover_temporary_directory_from_a_killed_process_is_ignored()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 7);
        using (var model = TestRuns.Model())
        using (var trainer = TestRuns.Trainer(model, TestRuns.Options(2) with { CheckpointDir = dir.Path }))
            trainer.Fit(train);
        // What a process killed during the rename-less part of a save leaves behind: a partial hidden directory.
        var partial = Path.Combine(dir.Path, ".tmp-" + CheckpointStore.NameFor(9) + "-dead");
        Directory.CreateDirectory(partial);
        File.WriteAllBytes(Path.Combine(partial, Checkpoint.WeightsFile), [1, 2, 3]);

        using var checkpoint = Checkpoint.Load(dir.Path);
        Assert.Equal(2, checkpoint.State.Step);
    }

    [Fact]
    public void Only_the_last_K_and_the_best_checkpoints_are_kept()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(24, seed: 8);
        var eval = ToyCorpus.Tokenized(8, seed: 9);
        using var model = TestRuns.Model();
        // MinDelta 10 means only the first evaluation counts as "best".
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(8) with
        {
            CheckpointDir = dir.Path, CheckpointEvery = 1, KeepLast = 2, EvalEvery = 1, EarlyStoppingMinDelta = 10,
        });
        var result = trainer.Fit(train, eval);

        var kept = Directory.GetDirectories(dir.Path).Select(d => Path.GetFileName(d)!).OrderBy(n => n).ToArray();
        Assert.Equal([CheckpointStore.NameFor(1), CheckpointStore.NameFor(7), CheckpointStore.NameFor(8)], kept);
        Assert.Equal(CheckpointStore.NameFor(1), Path.GetFileName(result.BestCheckpoint));
        Assert.Equal(result.Evaluations[0].Loss, result.BestEvalLoss);
    }
}

public sealed class ResumeAfterCrashTests
{
    [Fact]
    public void Resuming_after_a_crash_logs_every_step_once()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 19);
        var options = TestRuns.Options(6) with { CheckpointDir = dir.File("ckpt"), CheckpointEvery = 2, OutputDir = dir.File("out") };
        using (var model = TestRuns.Model())
        using (var trainer = TestRuns.Trainer(model, options))
        {
            // Steps 3 and 4 reach metrics.jsonl, then the process "dies" while saving step 4.
            trainer.Checkpoints!.FileWritten = path =>
            {
                if (path.Contains(CheckpointStore.NameFor(4))) throw new IOException("simulated crash");
            };
            Assert.Throws<IOException>(() => trainer.Fit(train));
        }
        // A crash can also cut the last line short.
        File.AppendAllText(Path.Combine(dir.File("out"), "metrics.jsonl"), "{\"type\":\"train\",\"st");

        using var again = TestRuns.Model(seed: 2);
        using var resumed = TestRuns.Trainer(again, options);
        resumed.Resume(dir.File("ckpt"));
        var result = resumed.Fit(train);

        var steps = File.ReadAllLines(Path.Combine(dir.File("out"), "metrics.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "train")
            .Select(r => r.GetProperty("step").GetInt64())
            .ToArray();
        Assert.Equal([1L, 2, 3, 4, 5, 6], steps);
        Assert.Equal(4, result.Steps.Count); // steps 3..6 ran again after the resume from step 2
    }
}
