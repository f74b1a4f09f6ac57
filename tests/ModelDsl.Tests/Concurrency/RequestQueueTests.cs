using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelDsl.Generation;
using ModelDsl.Tests.Generation;
using Xunit;

namespace ModelDsl.Tests.Concurrency;

/// <summary>
/// Many callers on one model: their requests meet in the model's queue and are decoded together, and each gets
/// exactly what it gets alone.
/// </summary>
public sealed class RequestQueueTests
{
    // Prompts of different lengths, so batches are left-padded and rows end at different steps.
    static string PromptOf(int i) => string.Join(" ", Enumerable.Repeat("once upon a time", 1 + i % 5)) + $" there were {i} cats";

    [Fact]
    public async Task Thirty_two_concurrent_greedy_calls_return_what_thirty_two_sequential_calls_return()
    {
        using var model = GenerationModels.NewGpt2(seed: 32);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var prompts = Enumerable.Range(0, 32).Select(PromptOf).ToArray();
        // Different budgets and stop sequences per call: they still share a batch.
        GenerationOptions OptionsOf(int i) => new() { MaxNewTokens = 6 + i % 7, StopSequences = i % 3 == 0 ? ["."] : [] };

        var sequential = prompts.Select((p, i) => generator.Generate(p, OptionsOf(i))).ToArray();

        using var start = new ManualResetEventSlim();
        var concurrent = Enumerable.Range(0, 32).Select(i => Task.Run(() =>
        {
            start.Wait();
            return generator.GenerateAsync(prompts[i], OptionsOf(i));
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(concurrent);

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(sequential[i].TokenIds, results[i].TokenIds);
            Assert.Equal(sequential[i].Text, results[i].Text);
            Assert.Equal(sequential[i].FinishReason, results[i].FinishReason);
        }
    }

    [Fact]
    public void Synchronous_calls_from_many_threads_return_what_each_gets_alone()
    {
        using var model = GenerationModels.NewLlama(seed: 8);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var options = new GenerationOptions { MaxNewTokens = 8 };
        var alone = Enumerable.Range(0, 12).Select(i => generator.Generate(PromptOf(i), options).TokenIds).ToArray();

        var together = new System.Collections.Generic.IReadOnlyList<int>[12];
        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i => together[i] = generator.Generate(PromptOf(i), options).TokenIds);

        for (var i = 0; i < 12; i++) Assert.Equal(alone[i], together[i]);
    }

    [Fact]
    public async Task A_seeded_sampled_call_gets_the_same_answer_while_other_callers_are_queued()
    {
        using var model = GenerationModels.NewGpt2(seed: 9);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var seeded = new GenerationOptions { MaxNewTokens = 10, Temperature = 1.0, Seed = 42 };
        var alone = generator.Generate("the weather today", seeded);

        var crowd = Enumerable.Range(0, 8).Select(i => generator.GenerateAsync(PromptOf(i), seeded with { Seed = (ulong)i })).ToList();
        var mine = generator.GenerateAsync("the weather today", seeded);
        await Task.WhenAll(crowd);

        Assert.Equal(alone.TokenIds, (await mine).TokenIds);
    }

    [Fact]
    public async Task A_call_cancelled_while_queued_or_decoding_ends_with_cancellation_and_others_still_finish()
    {
        using var model = GenerationModels.NewGpt2(seed: 10);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var options = new GenerationOptions { MaxNewTokens = 40 };
        var expected = generator.Generate(PromptOf(1), options);
        using var cancel = new CancellationTokenSource();

        var cancelled = Enumerable.Range(0, 4).Select(i => generator.GenerateAsync(PromptOf(i + 2), options, cancel.Token)).ToArray();
        var kept = generator.GenerateAsync(PromptOf(1), options);
        cancel.Cancel();

        foreach (var call in cancelled) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(expected.TokenIds, (await kept).TokenIds);
    }

    [Fact]
    public void Batching_options_out_of_range_are_refused_by_name()
    {
        using var model = GenerationModels.NewGpt2(seed: 11);
        var error = Assert.Throws<ArgumentException>(() => TextGenerator.ConfigureBatching(model, new BatchingOptions { MaxBatchRows = 0 }));
        Assert.Contains("MaxBatchRows", error.Message);
    }
}
