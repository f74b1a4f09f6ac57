using System;
using System.IO;
using System.Linq;
using Quickstart;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Quickstart;

/// <summary>
/// The quickstart's claims, on its reduced run: few-shot beats zero-shot, fine-tuning beats few-shot, PEFT comes
/// within a few points of full fine-tuning with a small fraction of the parameters, and full fine-tuning forgets more.
/// </summary>
[Collection(QuickstartCollection.Name)]
public sealed class QuickstartEffectsTests(ITestOutputHelper output)
{
    [Fact]
    public void The_reduced_quickstart_shows_every_effect()
    {
        using var directory = new IO.TempDirectory();
        var log = new StringWriter();
        var report = QuickstartRun.Run(QuickstartOptions.Fast(seed: 1, directory.Path), log);
        output.WriteLine(log.ToString());

        var failures = Checks.Failures(report);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(File.Exists(Path.Combine(directory.Path, "adapters", "lora", "adapter_model.safetensors")));
    }

    [Fact]
    public void The_same_seed_gives_the_same_numbers()
    {
        // A tiny budget: determinism does not depend on how long the run is.
        static QuickstartOptions Tiny(string dir) => QuickstartOptions.Fast(seed: 5, dir) with
        {
            PretrainDocuments = 200, PretrainSteps = 10, FineTuneSteps = 3, TrainExamples = 32, EvalExamples = 8, BaseSkillDocuments = 8,
        };
        using var first = new IO.TempDirectory();
        using var second = new IO.TempDirectory();
        var a = QuickstartRun.Run(Tiny(first.Path), TextWriter.Null);
        var b = QuickstartRun.Run(Tiny(second.Path), TextWriter.Null);

        // Accuracies and sizes are equal exactly; losses to far below the printed precision (multi-threaded CPU
        // reductions may add in another order, which moves the 7th significant digit).
        Assert.Equal(a.BaseLoss, b.BaseLoss, 1e-5);
        Assert.Equal(a.Prompting, b.Prompting);
        Assert.Equal(a.Methods.Select(m => (m.Method, m.Accuracy, m.SavedBytes)), b.Methods.Select(m => (m.Method, m.Accuracy, m.SavedBytes)));
        Assert.All(a.Methods.Zip(b.Methods), p => Assert.Equal(p.First.BaseLossAfter, p.Second.BaseLossAfter, 1e-5));
        Assert.All(a.Methods.Zip(b.Methods), p => Assert.Equal(p.First.Losses, p.Second.Losses, (x, y) => Math.Abs(x - y) < 1e-5));
        Assert.Equal(a.ItemAdapterAccuracy, b.ItemAdapterAccuracy);
    }

    [Fact]
    public void A_cached_checkpoint_skips_pretraining_and_gives_the_same_base()
    {
        using var directory = new IO.TempDirectory();
        var options = QuickstartOptions.Fast(seed: 6, directory.Path) with
        {
            PretrainDocuments = 200, PretrainSteps = 5, FineTuneSteps = 2, TrainExamples = 16, EvalExamples = 4, BaseSkillDocuments = 4,
        };
        var firstLog = new StringWriter();
        var secondLog = new StringWriter();
        var first = QuickstartRun.Run(options, firstLog);
        var second = QuickstartRun.Run(options, secondLog);

        Assert.Contains("pretraining", firstLog.ToString());
        Assert.Contains("skipping pretraining", secondLog.ToString());
        Assert.Equal(first.BaseLoss, second.BaseLoss, 1e-5);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuickstartCollection
{
    public const string Name = "Quickstart (uses the torch seed and both cores)";
}
