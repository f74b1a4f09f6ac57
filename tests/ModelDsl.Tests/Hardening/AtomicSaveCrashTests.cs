using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.IO;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// <c>SavePretrained</c> writes the directory into a sibling and swaps it in (<c>SavedDirectory</c>): a process killed
/// with SIGKILL in the middle of saving over an existing model leaves a directory that loads, holding exactly one of
/// the two models, and the next save cleans up what the killed one left.
/// </summary>
public sealed class AtomicSaveCrashTests(ITestOutputHelper output)
{
    const int Kills = 10;
    const int SeedA = 71, SeedB = 72;
    // Must match tests/ModelDsl.CrashChild/SaveLoop.cs.
    static readonly Gpt2Config Config = new(Layers: 1, Dim: 64, Heads: 4, Vocab: 512, Context: 16);

    [Fact]
    public void A_save_killed_midway_leaves_one_complete_model_behind()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new TempDirectory();
        var target = dir.File("model");
        var random = new Random(FuzzBudget.Seed);
        set_num_threads(1);
        using var a = NewModel(SeedA);
        using var b = NewModel(SeedB);
        int midWrite = 0, sawA = 0, sawB = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            var before = Temporaries(target);
            using (var child = CrashChildProcess.Start("save-loop", target, SeedA.ToString(), SeedB.ToString()))
            {
                // At least one save completes first, so a complete model exists before the kill.
                for (var saves = random.Next(1, 4); saves > 0; saves--)
                    if (child.NextLine(TimeSpan.FromSeconds(60)) is null)
                        Assert.Fail($"kill {kill}: the child stopped before saving:\n{child.Errors}");
                // Kill as soon as a new temporary file shows a write in progress (or give up waiting after a second).
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed < TimeSpan.FromSeconds(1) && !Temporaries(target).Except(before).Any()) Thread.SpinWait(20);
                child.Kill();
                Assert.True(child.Errors.Length == 0, $"kill {kill}: the child reported errors:\n{child.Errors}");
            }
            if (Temporaries(target).Except(before).Any()) midWrite++;

            using var loaded = new Gpt2LMHeadModel(ModelConfigJson.Load<Gpt2Config>(Path.Combine(target, "config.json")));
            loaded.LoadPretrained(target);
            if (SameWeights(loaded, a)) sawA++;
            else if (SameWeights(loaded, b)) sawB++;
            else Assert.Fail($"kill {kill}: the directory holds weights that are neither model A's nor model B's");
        }
        output.WriteLine($"{Kills} kills, {midWrite} during a write; model A found {sawA} times, B {sawB} times; {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(midWrite >= 3, $"only {midWrite} of {Kills} kills landed during a write");
    }

    static Gpt2LMHeadModel NewModel(int seed)
    {
        manual_seed(seed);
        return new Gpt2LMHeadModel(Config);
    }

    static bool SameWeights(Gpt2LMHeadModel loaded, Gpt2LMHeadModel expected)
    {
        var reference = expected.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        return loaded.named_parameters().All(p => TensorCompare.Identical(p.parameter, reference[p.name]));
    }

    // What a save in progress (or a killed one) has beside the directory: the staging copy, or the old copy moved aside.
    static string[] Temporaries(string directory)
    {
        var parent = Path.GetDirectoryName(directory)!;
        var name = Path.GetFileName(directory);
        return Directory.GetDirectories(parent, $".{name}.tmp-*").Concat(Directory.GetDirectories(parent, $".{name}.old-*")).ToArray();
    }
}
