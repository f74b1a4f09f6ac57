using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// Checkpoints belong to a run: a new run does not mix its checkpoints with another's, two trainers cannot share a
/// folder, a re-saved step survives a crash at any point, and step numbers keep sorting past eight digits.
/// </summary>
public sealed class CheckpointRunTests
{
    static string[] StepDirectories(string root) =>
        Directory.GetDirectories(root, "step-*").Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_fresh_run_in_a_folder_of_another_run_is_refused_and_the_folder_is_left_as_it_was()
    {
        // The scenario, smaller: a 6-step run checkpointing every 3, then a fresh 4-step run checkpointing every step.
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 3);
        using (var model = TestRuns.Model())
        using (var first = TestRuns.Trainer(model, TestRuns.Options(6) with { CheckpointDir = dir.Path, CheckpointEvery = 3 }))
            first.Fit(train);
        var before = StepDirectories(dir.Path);
        Assert.Equal([CheckpointStore.NameFor(3), CheckpointStore.NameFor(6)], before);

        using var again = TestRuns.Model(seed: 2);
        using var second = TestRuns.Trainer(again, TestRuns.Options(4) with { CheckpointDir = dir.Path, CheckpointEvery = 1 });
        var error = Assert.Throws<CheckpointException>(() => second.Fit(train));

        Assert.Contains(Path.GetFullPath(dir.Path), error.Message);
        Assert.Contains("another run", error.Message);
        Assert.Contains("OverwriteCheckpoints", error.Message);
        Assert.Equal(before, StepDirectories(dir.Path));
        using var latest = Checkpoint.Load(dir.Path);
        Assert.Equal(6, latest.State.Step);
    }

    [Fact]
    public void Overwriting_replaces_the_other_runs_checkpoints_and_resume_finds_the_new_run()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 3);
        using (var model = TestRuns.Model())
        using (var first = TestRuns.Trainer(model, TestRuns.Options(6) with { CheckpointDir = dir.Path, CheckpointEvery = 3 }))
            first.Fit(train);
        var firstOwner = CheckpointStore.OwnerOf(dir.Path);

        using var again = TestRuns.Model(seed: 2);
        using (var second = TestRuns.Trainer(again, TestRuns.Options(4) with { CheckpointDir = dir.Path, CheckpointEvery = 1, OverwriteCheckpoints = true }))
            second.Fit(train);

        Assert.NotEqual(firstOwner, CheckpointStore.OwnerOf(dir.Path));
        Assert.Equal([CheckpointStore.NameFor(3), CheckpointStore.NameFor(4)], StepDirectories(dir.Path));
        using var latest = Checkpoint.Load(dir.Path);
        Assert.Equal(4, latest.State.Step);
        Assert.Equal(CheckpointStore.OwnerOf(dir.Path), latest.State.RunId);
    }

    [Fact]
    public void A_second_trainer_writing_to_a_folder_in_use_is_refused_naming_the_folder()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 3);
        using var model = TestRuns.Model();
        using var first = TestRuns.Trainer(model, TestRuns.Options(2) with { CheckpointDir = dir.Path });
        using var other = TestRuns.Model(seed: 2);
        using var second = TestRuns.Trainer(other, TestRuns.Options(2) with { CheckpointDir = dir.Path });
        CheckpointException? refused = null;
        // While the first trainer is inside Fit (it holds the folder's lock), the second one tries to write there too.
        first.StepCompleted += _ => refused ??= Assert.Throws<CheckpointException>(() => second.Fit(train));

        first.Fit(train);

        Assert.NotNull(refused);
        Assert.Contains(Path.GetFullPath(dir.Path), refused!.Message);
        Assert.Contains("in use by another trainer", refused.Message);
        using var latest = Checkpoint.Load(dir.Path);
        Assert.Equal(2, latest.State.Step); // the first run was not disturbed
    }

    [Fact]
    public void The_folder_lock_is_an_operating_system_lock_another_process_would_meet()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, keepLast: 2);
        using (store.BeginWriting())
        {
            // Opening the lock file exclusively, as another process's trainer does, fails while it is held...
            Assert.ThrowsAny<IOException>(() => new FileStream(Path.Combine(dir.Path, ".lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
        }
        // ...and succeeds once it is released (a killed process releases it the same way: its handles close).
        new FileStream(Path.Combine(dir.Path, ".lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
    }

    [Fact]
    public void A_run_resumed_from_an_older_checkpoint_replaces_the_later_ones_as_it_saves()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(16, seed: 4);
        var options = TestRuns.Options(6) with { CheckpointDir = dir.Path, CheckpointEvery = 1, KeepLast = 10 };
        using (var model = TestRuns.Model())
        using (var first = TestRuns.Trainer(model, options))
            first.Fit(train);

        using var again = TestRuns.Model();
        using var resumed = TestRuns.Trainer(again, options);
        resumed.Resume(Path.Combine(dir.Path, CheckpointStore.NameFor(3)));
        using var cts = new CancellationTokenSource();
        resumed.StepCompleted += s => { if (s.Step == 4) cts.Cancel(); };
        var result = resumed.Fit(train, cancellationToken: cts.Token);

        Assert.Equal(4, result.Step);
        // Steps 5 and 6 came from the abandoned continuation; left in place they would count as newer than step 4.
        Assert.Equal(Enumerable.Range(1, 4).Select(s => CheckpointStore.NameFor(s)), StepDirectories(dir.Path));
        using var latest = Checkpoint.Load(dir.Path);
        Assert.Equal(4, latest.State.Step);
    }

    [Fact]
    public void Step_numbers_past_ten_to_the_eighth_keep_sorting_and_parsing()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, keepLast: 2);
        var runId = "r";
        foreach (var step in new[] { 99_999_999L, 100_000_000L, 123_456_789_012L })
            Save(store, step, runId);

        Assert.Equal("step-123456789012", CheckpointStore.NameFor(123_456_789_012));
        Assert.Equal("step-123456789012", Path.GetFileName(CheckpointStore.Latest(dir.Path)));
        using var latest = Checkpoint.Load(dir.Path);
        Assert.Equal(123_456_789_012L, latest.State.Step);
        // KeepLast 2 prunes the smallest step, not the longest name.
        Assert.Equal(["step-100000000", "step-123456789012"], StepDirectories(dir.Path));
    }

    [Fact]
    public void A_crash_between_the_two_renames_of_a_re_save_leaves_the_old_copy_for_resume()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, keepLast: 3);
        Save(store, 1, "r");
        Save(store, 2, "r", value: 2);
        // The state a crash right after moving the old copy aside leaves (the new copy still hidden and temporary).
        store.OldCopyMovedAside = _ => throw new IOException("simulated crash between the renames");
        Assert.Throws<IOException>(() => Save(store, 2, "r", value: 3));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, CheckpointStore.NameFor(2))));

        using (var fromOldCopy = Checkpoint.Load(dir.Path))
        {
            Assert.Equal(2, fromOldCopy.State.Step);
            Assert.Equal(2f, fromOldCopy.Weights["w"].item<float>());
        }
        using (new CheckpointStore(dir.Path, keepLast: 3).BeginWriting()) { } // the next writer puts the old copy back
        Assert.Equal([CheckpointStore.NameFor(1), CheckpointStore.NameFor(2)], Directory.GetDirectories(dir.Path).Select(d => Path.GetFileName(d)!).Order().ToArray());
    }

    [Fact]
    public void The_state_a_crash_mid_re_save_leaves_on_disk_still_resumes_that_step()
    {
        // Built by hand as a killed process leaves it: the old copy renamed aside, the new one complete but not yet renamed in.
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, keepLast: 3);
        Save(store, 1, "r");
        Save(store, 2, "r", value: 2);
        var step2 = Path.Combine(dir.Path, CheckpointStore.NameFor(2));
        Directory.Move(step2, step2 + ".old-0123456789abcdef0123456789abcdef");
        CopyDirectory(step2 + ".old-0123456789abcdef0123456789abcdef", Path.Combine(dir.Path, ".tmp-" + CheckpointStore.NameFor(2) + "-fedcba9876543210fedcba9876543210"));

        Assert.Equal(2, StepOfLatest(dir.Path));
    }

    [Fact]
    public void The_next_writer_cleans_up_what_crashed_saves_left()
    {
        using var dir = new TempDirectory();
        Save(new CheckpointStore(dir.Path, keepLast: 3), 1, "r");
        var primary = Path.Combine(dir.Path, CheckpointStore.NameFor(1));
        var temporary = Path.Combine(dir.Path, ".tmp-" + CheckpointStore.NameFor(2) + "-00000000000000000000000000000000");
        var oldCopy = primary + ".old-11111111111111111111111111111111";
        Directory.CreateDirectory(temporary);
        File.WriteAllBytes(Path.Combine(temporary, Checkpoint.WeightsFile), [1, 2, 3]);
        CopyDirectory(primary, oldCopy);

        using (new CheckpointStore(dir.Path, keepLast: 3).BeginWriting()) { }

        Assert.False(Directory.Exists(temporary));
        Assert.False(Directory.Exists(oldCopy));
        Assert.True(File.Exists(Path.Combine(primary, Checkpoint.StateFile)));
    }

    static long StepOfLatest(string root)
    {
        using var checkpoint = Checkpoint.Load(root);
        return checkpoint.State.Step;
    }

    // A checkpoint of one scalar weight "w" (and its two moments), as a trainer of a one-parameter model writes it.
    static void Save(CheckpointStore store, long step, string runId, float value = 1)
    {
        using var w = tensor(value);
        using var m = tensor(0f);
        using var rng = get_rng_state();
        var state = new CheckpointState
        {
            RunId = runId, Step = step, TotalSteps = step, MicroBatchesConsumed = step, Seed = 1,
            RngState = Convert.ToBase64String(rng.bytes),
        };
        store.Save(state, [KeyValuePair.Create("w", w)], [KeyValuePair.Create("w.exp_avg", m), KeyValuePair.Create("w.exp_avg_sq", m)]);
    }

    static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
