using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using ModelDsl.Tests.Hardening;
using ModelDsl.Tests.IO;
using ModelDsl.Training.Checkpoints;
using Xunit;

namespace ModelDsl.Tests.CommandLine;

/// <summary>Ctrl+C as a real process gets it: SIGINT stops training after the current step with a checkpoint, exit code 130.</summary>
public sealed class CommandLineSignalTests
{
    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    const int SigInt = 2;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Fact]
    public void SIGINT_stops_training_cleanly_with_a_checkpoint()
    {
        if (OperatingSystem.IsWindows()) return; // no SIGINT to send; the in-process test covers the same cancellation path
        using var dir = new TempDirectory();
        var data = CommandLineHarness.WriteText(dir.File("train.jsonl"), 16);
        var outDir = dir.File("out");
        using var child = CrashChildProcess.Start("cli", "train", "--target", "TinyGpt", "--data", data, "--steps", "100000",
            "--batch-size", "2", "--out", outDir);

        // The progress output's first line means training is under way. The waits are generous because the child
        // starts .NET and libtorch while the rest of the suite loads both cores (60 s ran out once under load).
        var clock = Stopwatch.StartNew();
        string? line;
        do line = child.NextLine(Patience);
        while (line is not null && !line.Contains("step", StringComparison.OrdinalIgnoreCase) && clock.Elapsed < Patience);
        Assert.True(line is not null, $"the child never reported a step: {child.Errors}");
        Assert.Equal(0, kill(child.ProcessId, SigInt));

        Assert.Equal(130, child.WaitForExit(Patience));
        Assert.Contains("cancelled at step", child.Errors);
        Assert.Contains("--resume", child.Errors);
        Assert.True(CommandLineHarness.IsOneParagraphWithoutStackTrace(child.Errors.Replace("stopping after the current step (press Ctrl+C again to end at once)…", "")), child.Errors);
        using var checkpoint = Checkpoint.Load(Path.Combine(outDir, "checkpoints"));
        Assert.True(checkpoint.State.Step > 0);
    }
}
