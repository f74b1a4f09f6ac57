using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Quickstart;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Quickstart;

/// <summary>
/// The quickstart's claims, on the run the README's command makes, for three seeds: few-shot beats zero-shot,
/// fine-tuning beats few-shot, LoRA comes within a few points of full fine-tuning with a small fraction of the
/// parameters, full fine-tuning forgets more of the base skill than every PEFT method, DPO teaches the people's
/// preference at a small cost, and the typed client's record answers are right.
/// </summary>
[Collection(QuickstartCollection.Name)]
public sealed class QuickstartEffectsTests(ITestOutputHelper output)
{
    /// <summary>The run the README's command makes (seed 1).</summary>
    [Fact]
    public void Every_effect_holds_for_the_readmes_seed() => EveryEffectHolds(1);

    /// <summary>
    /// Seeds 2 and 3: three minutes each on 2 cores, so opt-in (<c>dotnet test --filter Category=Slow</c>), outside CI's
    /// half-hour budget.
    /// </summary>
    [Theory, Trait("Category", "Slow")]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_effect_holds_for_other_seeds(int seed) => EveryEffectHolds(seed);

    void EveryEffectHolds(int seed)
    {
        using var directory = new IO.TempDirectory();
        var options = QuickstartOptions.ForSeed(seed, Path.Combine(directory.Path, $"seed-{seed}"));
        var report = QuickstartRun.Run(options, new StringWriter());
        output.WriteLine(Summary(report));
        var failures = Checks.Failures(report).Select(f => $"seed {seed}: {f}").ToList();
        Assert.True(File.Exists(Path.Combine(options.OutputDir, "adapters", "lora", "adapter_model.safetensors")));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void The_same_seed_gives_the_same_numbers_to_the_last_bit()
    {
        // A tiny budget: determinism does not depend on how long the run is. The quickstart runs torch on one thread,
        // so reductions add in one order and every number repeats exactly.
        using var first = new IO.TempDirectory();
        using var second = new IO.TempDirectory();
        var a = QuickstartRun.Run(Tiny(5, first.Path), TextWriter.Null);
        var b = QuickstartRun.Run(Tiny(5, second.Path), TextWriter.Null);

        Assert.Equal(a.BaseLoss, b.BaseLoss);
        Assert.Equal(a.Prompting, b.Prompting);
        Assert.Equal(a.Methods.Select(m => (m.Method, m.Accuracy, m.SavedBytes, m.BaseLossAfter)),
            b.Methods.Select(m => (m.Method, m.Accuracy, m.SavedBytes, m.BaseLossAfter)));
        Assert.All(a.Methods.Zip(b.Methods), p => Assert.Equal(p.First.Losses, p.Second.Losses));
        Assert.Equal(a.ItemAdapterAccuracy, b.ItemAdapterAccuracy);
        Assert.Equal(a.Alignment with { TrainSeconds = 0 }, b.Alignment with { TrainSeconds = 0 });
        Assert.Equal(a.RecordAnswer, b.RecordAnswer);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, "pretrained", "model.safetensors")),
            File.ReadAllBytes(Path.Combine(second.Path, "pretrained", "model.safetensors")));
    }

    [Fact]
    public void A_cached_checkpoint_skips_pretraining_unless_the_recipe_changed()
    {
        using var directory = new IO.TempDirectory();
        var options = Tiny(6, directory.Path);
        var logs = new[] { new StringWriter(), new StringWriter(), new StringWriter() };
        var first = QuickstartRun.Run(options, logs[0]);
        var second = QuickstartRun.Run(options, logs[1]);
        QuickstartRun.Run(options with { PretrainSteps = options.PretrainSteps + 1 }, logs[2]);

        Assert.DoesNotContain("skipping pretraining", logs[0].ToString());
        Assert.Contains("skipping pretraining", logs[1].ToString());
        Assert.Equal(first.BaseLoss, second.BaseLoss);
        Assert.DoesNotContain("skipping pretraining", logs[2].ToString());
    }

    static QuickstartOptions Tiny(int seed, string directory) => QuickstartOptions.ForSeed(seed, directory) with
    {
        PretrainDocuments = 200, PretrainSteps = 10, FineTuneSteps = 3, PeopleAnswerSteps = 3, AlignmentSteps = 3, RecordSteps = 3, TrainExamples = 32, EvalExamples = 8, BaseSkillDocuments = 8,
    };

    static string Summary(QuickstartReport r) =>
        $"seed {r.Seed}: zero-shot {r.Prompting.ZeroShot:P0}, few-shot {r.Prompting.FewShot:P0}; " +
        string.Join("; ", r.Methods.Select(m => $"{m.Method} {m.Accuracy:P0} forgets {m.Forgetting:F2}")) +
        $"; DPO win-rate {r.Alignment.WinRateBefore:P0} → {r.Alignment.WinRateAfter:P0}, accuracy {r.Alignment.AccuracyBefore:P0} → " +
        $"{r.Alignment.AccuracyAfter:P0}, forgets {r.Alignment.Forgetting:F3}; record answers right {r.RecordAnswer.Accuracy:P0}";
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuickstartCollection
{
    public const string Name = "Quickstart (uses the torch seed and both cores)";
}
