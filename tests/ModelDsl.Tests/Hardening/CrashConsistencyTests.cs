using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ModelDsl.Tests.IO;
using ModelDsl.Training.Checkpoints;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Three consecutive runs in one output folder, each killed with SIGKILL at random moments — right after a step, while
/// a checkpoint is written, while a step is re-saved — a fresh run, a re-run without resume, and a resumed run. The folder
/// must never be without a loadable newest checkpoint of the run that owns it, the re-run must be refused without
/// touching the folder, leftovers of killed saves must be cleaned up by the next start, and the resumed run must end
/// with weights bit-identical to those of a run that was never interrupted.
/// </summary>
public sealed class CrashConsistencyTests(ITestOutputHelper output)
{
    const int FreshRunKills = 2;
    const int MinimumResumedKills = 10;
    const int MinimumKillsDuringWrites = 3;
    const int MaximumResumedKills = 40;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void Three_runs_killed_at_random_moments_keep_a_loadable_checkpoint_of_the_right_run_and_end_bit_identical()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new TempDirectory();
        var reference = Uninterrupted(Path.Combine(dir.Path, "reference"));

        var run = Path.Combine(dir.Path, "crashed");
        var checkpoints = Path.Combine(run, "checkpoints");
        var random = new Random(FuzzBudget.Seed);
        var watch = new FolderWatch(checkpoints);
        int kills = 0, killsDuringWrites = 0;

        // 1. A fresh run, killed (the first kill only once two checkpoints are confirmed, so the run owns the folder).
        for (var i = 0; i < FreshRunKills; i++)
        {
            KillOnce(i == 0 ? "fresh" : "resume", random, watch, minimumSteps: 3, ref killsDuringWrites);
            kills++;
        }
        var owner = CheckpointStore.OwnerOf(checkpoints);
        Assert.NotNull(owner);

        // 2. The same command again without resuming: refused, and the folder is exactly as it was.
        var before = watch.Listing();
        using (var rerun = CrashChildProcess.Start("train", run, "fresh"))
        {
            var refusal = ReadUntil(rerun, "refused");
            Assert.Contains(checkpoints, refusal);
            Assert.Contains("Resume", refusal);
            Assert.Equal(3, rerun.WaitForExit(Patience));
        }
        Assert.Equal(before, watch.Listing());
        Assert.Equal(owner, CheckpointStore.OwnerOf(checkpoints));

        // 3. The resumed run, killed again and again; some restarts resume the checkpoint before the newest, so a step
        //    that exists is saved again and kills land in that re-save too.
        var resumedKills = 0;
        while (resumedKills < MaximumResumedKills && (resumedKills < MinimumResumedKills || killsDuringWrites < MinimumKillsDuringWrites))
        {
            KillOnce(random.Next(3) == 0 ? "resume-older" : "resume", random, watch, minimumSteps: 1, ref killsDuringWrites);
            Assert.Equal(owner, CheckpointStore.OwnerOf(checkpoints));
            resumedKills++;
        }
        kills += resumedKills;
        Assert.True(killsDuringWrites >= MinimumKillsDuringWrites, $"only {killsDuringWrites} of {kills} kills landed while a checkpoint was being written");

        var resumedAt = watch.NewestStep();
        var final = RunToEnd(run, "resume", expectedStart: resumedAt, watch);
        Assert.Equal(reference.Final, final.Final);
        Assert.Contains($"sha256 {reference.Final}", File.ReadAllText(Path.Combine(run, "final-weights.txt")));
        output.WriteLine($"{kills} kills ({killsDuringWrites} during checkpoint writes), last resume at step {resumedAt}, {clock.Elapsed.TotalSeconds:F1} s");
    }

    // One child run in mode, killed by one of three plans; then the folder's invariants are checked.
    void KillOnce(string mode, Random random, FolderWatch watch, int minimumSteps, ref int killsDuringWrites)
    {
        var newest = watch.NewestStep();
        var expectedStart = mode switch
        {
            "fresh" => 0,
            "resume-older" => watch.OlderThanNewestStep() ?? newest,
            _ => newest,
        };
        var leftoversBefore = watch.Leftovers();
        using var child = CrashChildProcess.Start("train", watch.Run, mode);
        Assert.Equal(expectedStart, long.Parse(ReadUntil(child, "start"), CultureInfo.InvariantCulture));
        // By its first step the child has locked the folder and cleaned up what killed saves left.
        Assert.False(WaitForSteps(child, 1, watch), $"the {mode} run completed before it could be killed");
        Assert.Empty(watch.Leftovers().Intersect(leftoversBefore));
        var plan = random.Next(3);
        var more = minimumSteps - 1;
        var finished = plan switch
        {
            0 => KillAfterDelay(child, more, TimeSpan.FromMilliseconds(random.Next(0, 200)), watch),
            1 => KillAfterStep(child, random.Next(more, more + 3), TimeSpan.FromMilliseconds(random.Next(0, 20)), watch),
            _ => KillDuringWrite(child, random.Next(more, more + 3), watch),
        };
        Assert.False(finished, $"the {mode} run completed before it could be killed; make the child's run longer");
        Assert.True(child.Errors.Length == 0, $"the {mode} run reported errors before it was killed:\n{child.Errors}");
        if (watch.Leftovers().Except(leftoversBefore).Any()) killsDuringWrites++;
        watch.RequireNewestConfirmedAndLoadable();
    }

    static (string Initial, string Final) Uninterrupted(string run)
    {
        var result = RunToEnd(run, "fresh", expectedStart: 0, watch: null);
        Assert.NotNull(result.Initial);
        Assert.NotEqual(result.Initial, result.Final); // training changed the weights, so equal finals mean something
        return (result.Initial!, result.Final);
    }

    static (string? Initial, string Final) RunToEnd(string run, string mode, long expectedStart, FolderWatch? watch)
    {
        using var child = CrashChildProcess.Start("train", run, mode);
        string? initial = null, final = null;
        long? start = null;
        for (var line = child.NextLine(Patience); line is not null; line = child.NextLine(Patience))
        {
            var (kind, value) = Parse(line);
            if (kind == "initial") initial = value;
            else if (kind == "start") start = long.Parse(value, CultureInfo.InvariantCulture);
            else if (kind == "final") final = value;
            else if (kind == "step" && watch is not null) watch.Confirm(long.Parse(value, CultureInfo.InvariantCulture) - 1);
        }
        var exit = child.WaitForExit(Patience);
        Assert.True(exit == 0 && child.Errors.Length == 0, $"the child failed with exit code {exit}:\n{child.Errors}");
        Assert.Equal(expectedStart, start);
        Assert.NotNull(final);
        return (initial, final!);
    }

    // Each plan returns true if the child completed before the kill. A step line proves the previous step's checkpoint complete.
    static bool KillAfterDelay(CrashChildProcess child, int steps, TimeSpan delay, FolderWatch watch)
    {
        if (WaitForSteps(child, steps, watch)) return true;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < delay)
        {
            var line = child.NextLine(delay - deadline.Elapsed);
            if (line is null) break;
            if (Observe(line, watch)) return true;
        }
        child.Kill();
        return false;
    }

    static bool KillAfterStep(CrashChildProcess child, int steps, TimeSpan delay, FolderWatch watch)
    {
        if (WaitForSteps(child, steps, watch)) return true;
        if (delay > TimeSpan.Zero) Thread.Sleep(delay);
        child.Kill();
        return false;
    }

    // After a step line the child writes that step's checkpoint into a hidden temporary directory (and, re-saving a
    // step, moves the old copy aside); kill the moment one appears, so the kill lands inside the save.
    static bool KillDuringWrite(CrashChildProcess child, int steps, FolderWatch watch)
    {
        var before = watch.Leftovers();
        if (WaitForSteps(child, steps, watch)) return true;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2) && !child.HasExited && !watch.Leftovers().Except(before).Any())
            Thread.SpinWait(20);
        child.Kill();
        return false;
    }

    static bool WaitForSteps(CrashChildProcess child, int steps, FolderWatch watch)
    {
        var seen = 0;
        while (seen < steps)
        {
            var line = child.NextLine(Patience) ?? throw new Xunit.Sdk.XunitException($"the child stopped talking: {child.Errors}");
            if (Observe(line, watch)) return true;
            if (line.StartsWith("step ", StringComparison.Ordinal)) seen++;
        }
        return false;
    }

    static bool Observe(string line, FolderWatch watch)
    {
        var (kind, value) = Parse(line);
        if (kind == "step") watch.Confirm(long.Parse(value, CultureInfo.InvariantCulture) - 1);
        return kind == "final";
    }

    static string ReadUntil(CrashChildProcess child, string kind)
    {
        for (var line = child.NextLine(Patience); line is not null; line = child.NextLine(Patience))
        {
            var (found, value) = Parse(line);
            if (found == kind) return value;
        }
        throw new Xunit.Sdk.XunitException($"the child ended without a '{kind}' line: {child.Errors}");
    }

    static (string Kind, string Value) Parse(string line)
    {
        var space = line.IndexOf(' ');
        Assert.True(space > 0, $"unexpected line from the child: '{line}'");
        return (line[..space], line[(space + 1)..]);
    }

    /// <summary>What the test knows about the checkpoint folder, and the checks it makes on it after every kill.</summary>
    sealed class FolderWatch(string checkpoints)
    {
        long _confirmed;

        public string Run => Path.GetDirectoryName(checkpoints)!;

        /// <summary>A checkpoint the child finished writing (it went on to the next step), for this run's step numbers.</summary>
        public void Confirm(long step) => _confirmed = Math.Max(_confirmed, step);

        public long NewestStep()
        {
            var latest = CheckpointStore.Latest(checkpoints);
            if (latest is null) return 0;
            using var checkpoint = Checkpoint.Load(latest);
            return checkpoint.State.Step;
        }

        /// <summary>The step of the complete checkpoint before the newest, as the child's resume-older mode picks it.</summary>
        public long? OlderThanNewestStep()
        {
            var steps = Directory.GetDirectories(checkpoints)
                .Select(d => CheckpointNames.TryParse(Path.GetFileName(d), out var step, out _) && File.Exists(Path.Combine(d, Checkpoint.StateFile)) ? step : -1)
                .Where(s => s >= 0).Distinct().Order().ToList();
            return steps.Count >= 2 ? steps[^2] : null;
        }

        /// <summary>
        /// The newest checkpoint is at least the newest one the child confirmed, it loads, and it belongs to the run named
        /// by the folder's marker.
        /// </summary>
        public void RequireNewestConfirmedAndLoadable()
        {
            var latest = CheckpointStore.Latest(checkpoints);
            Assert.True(latest is not null, $"no checkpoint left in the folder although step {_confirmed} was confirmed");
            using var checkpoint = Checkpoint.Load(latest!);
            Assert.True(checkpoint.State.Step >= _confirmed, $"the checkpoint of step {_confirmed} was complete, but the newest on disk is {checkpoint.State.Step}");
            Assert.Equal(CheckpointStore.OwnerOf(checkpoints), checkpoint.State.RunId);
        }

        public HashSet<string> Leftovers() => Directory.Exists(checkpoints)
            ? Directory.GetDirectories(checkpoints).Select(d => Path.GetFileName(d)!)
                .Where(n => n.StartsWith(CheckpointNames.TemporaryPrefix, StringComparison.Ordinal) || n.Contains(".old-", StringComparison.Ordinal))
                .ToHashSet(StringComparer.Ordinal)
            : [];

        /// <summary>
        /// The folder's checkpoints as a resume sees them: each complete checkpoint under its step's name (an old copy a
        /// killed re-save left counts as its step; temporary directories do not count), every file with its size and
        /// time, and the run marker.
        /// </summary>
        public string[] Listing()
        {
            var entries = new List<string>();
            foreach (var group in Directory.GetDirectories(checkpoints)
                         .Select(d => (Path: d, Ok: CheckpointNames.TryParse(Path.GetFileName(d), out var step, out var old), Step: step, Old: old))
                         .Where(d => d.Ok && File.Exists(Path.Combine(d.Path, Checkpoint.StateFile)))
                         .GroupBy(d => d.Step))
            {
                var chosen = group.OrderBy(d => d.Old).First();
                foreach (var file in Directory.GetFiles(chosen.Path))
                    entries.Add($"{CheckpointStore.NameFor(group.Key)}/{Path.GetFileName(file)} {new FileInfo(file).Length} {File.GetLastWriteTimeUtc(file).Ticks}");
            }
            var marker = Path.Combine(checkpoints, "run.json");
            entries.Add($"run.json {File.ReadAllText(marker)} {File.GetLastWriteTimeUtc(marker).Ticks}");
            return entries.Order(StringComparer.Ordinal).ToArray();
        }
    }
}
