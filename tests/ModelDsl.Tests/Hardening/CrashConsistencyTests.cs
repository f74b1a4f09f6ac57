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
/// A training run killed with SIGKILL over and over — at random moments, right after a step, and while a
/// checkpoint is being written — must resume every time from its newest complete checkpoint and end with
/// weights bit-identical to those of a run that was never interrupted.
/// </summary>
public sealed class CrashConsistencyTests(ITestOutputHelper output)
{
    const int MinimumKills = 20;
    const int MinimumKillsDuringWrites = 3;
    const int MaximumKills = 60;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_run_killed_at_random_moments_resumes_from_its_last_complete_checkpoint_and_ends_bit_identical()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new TempDirectory();
        var reference = Uninterrupted(Path.Combine(dir.Path, "reference"));

        var run = Path.Combine(dir.Path, "crashed");
        var checkpoints = Path.Combine(run, "checkpoints");
        var random = new Random(FuzzBudget.Seed);
        int kills = 0, killsDuringWrites = 0;
        long confirmed = 0; // the newest step whose checkpoint the child finished writing (it went on to the next step)
        while (kills < MaximumKills && (kills < MinimumKills || killsDuringWrites < MinimumKillsDuringWrites))
        {
            var expectedStart = LatestStep(checkpoints);
            Assert.True(expectedStart >= confirmed, $"kill {kills}: checkpoint of step {confirmed} was complete, but the newest on disk is {expectedStart}");
            var leftoversBefore = Leftovers(checkpoints);
            using var child = CrashChildProcess.Start(run);
            var plan = random.Next(3);
            var finished = plan switch
            {
                0 => KillAfterDelay(child, TimeSpan.FromMilliseconds(random.Next(30, 300)), expectedStart, ref confirmed),
                1 => KillAfterStep(child, random.Next(1, 3), TimeSpan.FromMilliseconds(random.Next(0, 20)), expectedStart, ref confirmed),
                _ => KillDuringWrite(child, random.Next(1, 3), checkpoints, leftoversBefore, expectedStart, ref confirmed),
            };
            Assert.False(finished, $"kill {kills}: the run completed before it could be killed; make the child's run longer");
            Assert.True(child.Errors.Length == 0, $"kill {kills}: the child reported errors before it was killed:\n{child.Errors}");
            kills++;
            if (Leftovers(checkpoints).Except(leftoversBefore).Any()) killsDuringWrites++;
        }
        Assert.True(killsDuringWrites >= MinimumKillsDuringWrites, $"only {killsDuringWrites} of {kills} kills landed while a checkpoint was being written");

        var resumedAt = LatestStep(checkpoints);
        var final = RunToEnd(run, expectedStart: resumedAt);
        Assert.Equal(reference.Final, final.Final);
        Assert.Contains($"sha256 {reference.Final}", File.ReadAllText(Path.Combine(run, "final-weights.txt")));
        output.WriteLine($"{kills} kills ({killsDuringWrites} during checkpoint writes), last resume at step {resumedAt}, {clock.Elapsed.TotalSeconds:F1} s");
    }

    static (string Initial, string Final) Uninterrupted(string run)
    {
        var result = RunToEnd(run, expectedStart: 0);
        Assert.NotNull(result.Initial);
        Assert.NotEqual(result.Initial, result.Final); // training changed the weights, so equal finals mean something
        return (result.Initial!, result.Final);
    }

    static (string? Initial, string Final) RunToEnd(string run, long expectedStart)
    {
        using var child = CrashChildProcess.Start(run);
        string? initial = null, final = null;
        long? start = null;
        for (var line = child.NextLine(Patience); line is not null; line = child.NextLine(Patience))
        {
            var (kind, value) = Parse(line);
            if (kind == "initial") initial = value;
            else if (kind == "start") start = long.Parse(value, CultureInfo.InvariantCulture);
            else if (kind == "final") final = value;
        }
        var exit = child.WaitForExit(Patience);
        Assert.True(exit == 0 && child.Errors.Length == 0, $"the child failed with exit code {exit}:\n{child.Errors}");
        Assert.Equal(expectedStart, start);
        Assert.NotNull(final);
        return (initial, final!);
    }

    // Each plan returns true if the child completed before the kill. Lines are checked as they come:
    // "start" must be the newest complete checkpoint, and a step line proves the previous step's checkpoint complete.
    static bool KillAfterDelay(CrashChildProcess child, TimeSpan delay, long expectedStart, ref long confirmed)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < delay)
        {
            var line = child.NextLine(delay - deadline.Elapsed);
            if (line is null) break;
            if (Observe(line, expectedStart, ref confirmed)) return true;
        }
        child.Kill();
        return false;
    }

    static bool KillAfterStep(CrashChildProcess child, int steps, TimeSpan delay, long expectedStart, ref long confirmed)
    {
        if (WaitForSteps(child, steps, expectedStart, ref confirmed)) return true;
        if (delay > TimeSpan.Zero) Thread.Sleep(delay);
        child.Kill();
        return false;
    }

    // After a step line the child writes that step's checkpoint into a hidden temporary directory; kill the
    // moment a new one appears, so the kill lands inside the write (before the rename publishes it).
    static bool KillDuringWrite(CrashChildProcess child, int steps, string checkpoints, HashSet<string> leftoversBefore,
        long expectedStart, ref long confirmed)
    {
        if (WaitForSteps(child, steps, expectedStart, ref confirmed)) return true;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(2) && !child.HasExited && !Leftovers(checkpoints).Except(leftoversBefore).Any())
            Thread.SpinWait(20);
        child.Kill();
        return false;
    }

    static bool WaitForSteps(CrashChildProcess child, int steps, long expectedStart, ref long confirmed)
    {
        var seen = 0;
        while (seen < steps)
        {
            var line = child.NextLine(Patience) ?? throw new Xunit.Sdk.XunitException($"the child stopped talking: {child.Errors}");
            if (Observe(line, expectedStart, ref confirmed)) return true;
            if (line.StartsWith("step ", StringComparison.Ordinal)) seen++;
        }
        return false;
    }

    static bool Observe(string line, long expectedStart, ref long confirmed)
    {
        var (kind, value) = Parse(line);
        switch (kind)
        {
            case "start":
                Assert.Equal(expectedStart, long.Parse(value, CultureInfo.InvariantCulture));
                break;
            case "step":
                confirmed = Math.Max(confirmed, long.Parse(value, CultureInfo.InvariantCulture) - 1);
                break;
            case "final":
                return true;
        }
        return false;
    }

    static (string Kind, string Value) Parse(string line)
    {
        var space = line.IndexOf(' ');
        Assert.True(space > 0, $"unexpected line from the child: '{line}'");
        return (line[..space], line[(space + 1)..]);
    }

    static long LatestStep(string checkpoints)
    {
        var latest = CheckpointStore.Latest(checkpoints);
        if (latest is null) return 0;
        using var checkpoint = Checkpoint.Load(latest);
        return checkpoint.State.Step;
    }

    static HashSet<string> Leftovers(string checkpoints) => Directory.Exists(checkpoints)
        ? Directory.GetDirectories(checkpoints, ".tmp-*").Select(d => Path.GetFileName(d)).ToHashSet(StringComparer.Ordinal)
        : [];
}
