using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelDsl.Generation;
using ModelDsl.Tests.Generation;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Peft;
using ModelDsl.Tests.Peft;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Concurrency;

/// <summary>
/// What documents "one call at a time" enforces it with <see cref="ConcurrentUseException"/>, and overlapping
/// generation calls on one model no longer flip it back into training mode under each other.
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public void Overlapping_inference_calls_keep_the_model_in_eval_mode_until_the_last_one_ends()
    {
        using var model = GenerationModels.NewGpt2(seed: 1);
        model.train();
        var first = EvalMode.Enter(model);
        var second = EvalMode.Enter(model);
        Assert.False(model.training);

        first.Dispose(); // the call that started first ends first
        Assert.False(model.training);

        second.Dispose();
        Assert.True(model.training);
    }

    [Fact]
    public void Threads_generating_on_one_model_in_training_mode_all_decode_without_dropout()
    {
        // Dropout 0.5: a step decoded in training mode would almost surely differ from the eval-mode reference.
        using var model = TestRuns.Model(seed: 5, dropout: 0.5);
        model.eval();
        var generator = new TextGenerator(model, ToyCorpus.Tokenizer, padTokenId: CharTokenizer.Pad);
        var options = new GenerationOptions { MaxNewTokens = 40 };
        var reference = generator.Generate("the cat", options).TokenIds;
        model.train();

        var results = new System.Collections.Generic.IReadOnlyList<int>[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => results[i] = generator.Generate("the cat", options with { MaxNewTokens = 5 + i * 5 }).TokenIds);

        for (var i = 0; i < results.Length; i++) Assert.Equal(reference.Take(results[i].Count), results[i]);
        Assert.True(model.training);
    }

    [Fact]
    public async Task A_second_Fit_on_one_trainer_from_another_thread_is_refused()
    {
        using var model = TestRuns.Model();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(3));
        using var inside = new ManualResetEventSlim();
        using var tried = new ManualResetEventSlim();
        Exception? overlapping = null;
        trainer.StepCompleted += step =>
        {
            if (step.Step != 1) return;
            inside.Set();
            tried.Wait(TimeSpan.FromSeconds(30));
        };
        var fit = Task.Run(() => trainer.Fit(ToyCorpus.Tokenized(16, seed: 1)));
        Assert.True(inside.Wait(TimeSpan.FromSeconds(60)));
        try { trainer.Fit(ToyCorpus.Tokenized(16, seed: 1)); }
        catch (Exception e) { overlapping = e; }
        tried.Set();
        await fit;

        var error = Assert.IsType<ConcurrentUseException>(overlapping);
        Assert.Contains("Trainer.Fit", error.Message);
    }

    [Fact]
    public async Task Generating_with_a_model_another_thread_trains_is_refused()
    {
        using var model = TestRuns.Model();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(3));
        using var inside = new ManualResetEventSlim();
        using var tried = new ManualResetEventSlim();
        Exception? overlapping = null;
        trainer.StepCompleted += step =>
        {
            if (step.Step != 1) return;
            inside.Set();
            tried.Wait(TimeSpan.FromSeconds(30));
        };
        var fit = Task.Run(() => trainer.Fit(ToyCorpus.Tokenized(16, seed: 1)));
        Assert.True(inside.Wait(TimeSpan.FromSeconds(60)));
        try { new TextGenerator(model, ToyCorpus.Tokenizer).Generate("the cat", new GenerationOptions { MaxNewTokens = 2 }); }
        catch (Exception e) { overlapping = e; }
        tried.Set();
        await fit;

        Assert.Contains("training it", Assert.IsType<ConcurrentUseException>(overlapping).Message);
    }

    [Fact]
    public void Switching_or_loading_adapters_while_generation_runs_is_refused()
    {
        manual_seed(3);
        using var setup = new TinyLoraSetup(new ModelDsl.Tests.Peft.TinyLm(), new LoraSettings(2, 4));
        setup.AddAdapter("other");
        using (EvalMode.Enter(setup)) // a generation call in progress
        {
            Assert.IsType<ConcurrentUseException>(Assert.ThrowsAny<InvalidOperationException>(() => setup.UseAdapter("other")));
            Assert.IsType<ConcurrentUseException>(Assert.ThrowsAny<InvalidOperationException>(() => setup.Merge()));
            Assert.IsType<ConcurrentUseException>(Assert.ThrowsAny<InvalidOperationException>(() => setup.LoadAdapter("/nonexistent", "third")));
        }
        setup.UseAdapter("other"); // fine once it has returned
        Assert.Equal("other", setup.ActiveAdapter);
    }

    [Fact]
    public async Task Adapter_calls_from_two_threads_at_once_are_refused()
    {
        manual_seed(4);
        using var setup = new TinyLoraSetup(new ModelDsl.Tests.Peft.TinyLm(), new LoraSettings(2, 4));
        using var dir = new ModelDsl.Tests.IO.TempDirectory();
        using var call = setup.EnterAdapterCall("SaveAdapter", AdapterCall.Save); // one thread is saving
        var error = await Task.Run(() => Assert.ThrowsAny<InvalidOperationException>(() => setup.UseAdapter("default")));
        Assert.IsType<ConcurrentUseException>(error);
        Assert.Contains("SaveAdapter", error.Message);
    }
}
