using System;
using System.Linq;
using ModelDsl.Generation;
using TorchSharp;
using Xunit;

namespace ModelDsl.Tests.Generation;

/// <summary>Decoding paths agree: cache vs recompute, batched vs alone, top-k 1 vs greedy, seeds.</summary>
public sealed class TextGeneratorTests
{
    static readonly string[] Prompts = ["Once upon a time", "The cat", "A long and winding road leads to"];

    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama")]
    public void Greedy_with_the_cache_equals_recomputing_the_sequence(string family)
    {
        var model = GenerationModels.New(family, seed: 41);
        using var _ = (IDisposable)model;
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var options = new GenerationOptions { MaxNewTokens = 24 };
        var cached = generator.Generate(Prompts[0], options);
        var recomputed = generator.Generate(Prompts[0], options with { UseCache = false });
        Assert.Equal(24, cached.TokenIds.Count);
        Assert.Equal(recomputed.TokenIds, cached.TokenIds);
        Assert.Equal(recomputed.Text, cached.Text);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama")]
    public void Left_padded_batch_with_the_cache_equals_recomputing(string family)
    {
        var model = GenerationModels.New(family, seed: 42);
        using var _ = (IDisposable)model;
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var options = new GenerationOptions { MaxNewTokens = 16 };
        var cached = generator.Generate(Prompts, options);
        var recomputed = generator.Generate(Prompts, options with { UseCache = false });
        for (var i = 0; i < Prompts.Length; i++)
            Assert.Equal(recomputed[i].TokenIds, cached[i].TokenIds);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama")]
    public void Batched_prompts_of_different_lengths_equal_each_generated_alone(string family)
    {
        var model = GenerationModels.New(family, seed: 43);
        using var _ = (IDisposable)model;
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var lengths = Prompts.Select(p => generator.CountTokens(p)).Distinct().Count();
        Assert.Equal(Prompts.Length, lengths);   // the batch really needs padding
        var options = new GenerationOptions { MaxNewTokens = 16 };
        var batched = generator.Generate(Prompts, options);
        for (var i = 0; i < Prompts.Length; i++)
        {
            var alone = generator.Generate(Prompts[i], options);
            Assert.Equal(alone.TokenIds, batched[i].TokenIds);
            Assert.Equal(alone.PromptTokens, batched[i].PromptTokens);
        }
    }

    [Fact]
    public void Top_k_of_one_equals_greedy()
    {
        using var model = GenerationModels.NewGpt2(seed: 44);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var greedy = generator.Generate(Prompts[1], new GenerationOptions { MaxNewTokens = 12 });
        var topOne = generator.Generate(Prompts[1], new GenerationOptions { MaxNewTokens = 12, Temperature = 1.5, TopK = 1, Seed = 5 });
        Assert.Equal(greedy.TokenIds, topOne.TokenIds);
    }

    [Fact]
    public void Top_p_so_small_that_only_the_top_token_survives_equals_greedy()
    {
        using var model = GenerationModels.NewLlama(seed: 44);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var greedy = generator.Generate(Prompts[1], new GenerationOptions { MaxNewTokens = 12 });
        var nucleus = generator.Generate(Prompts[1], new GenerationOptions { MaxNewTokens = 12, Temperature = 1.0, TopP = 1e-6, Seed = 5 });
        Assert.Equal(greedy.TokenIds, nucleus.TokenIds);
    }

    [Fact]
    public void A_seed_repeats_its_sample_and_another_seed_differs()
    {
        using var model = GenerationModels.NewGpt2(seed: 45);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var options = new GenerationOptions { MaxNewTokens = 12, Temperature = 1.0, TopP = 0.95, Seed = 123 };
        var first = generator.Generate(Prompts[0], options);
        TorchSharp.torch.manual_seed(999);   // global state must not matter
        var again = generator.Generate(Prompts[0], options);
        var other = generator.Generate(Prompts[0], options with { Seed = 124 });
        var greedy = generator.Generate(Prompts[0], new GenerationOptions { MaxNewTokens = 12 });
        Assert.Equal(first.TokenIds, again.TokenIds);
        Assert.NotEqual(first.TokenIds, other.TokenIds);
        Assert.NotEqual(greedy.TokenIds, first.TokenIds);
    }

    [Fact]
    public void Stop_sequences_cut_the_output_before_the_first_occurrence()
    {
        using var model = GenerationModels.NewGpt2(seed: 46);
        var tokenizer = GenerationModels.Tokenizer;
        var generator = new TextGenerator(model, tokenizer);
        var free = generator.Generate(Prompts[2], new GenerationOptions { MaxNewTokens = 20 });
        // The text of the 6th generated token is the stop sequence: the output must end just before it first appears.
        var stop = tokenizer.Decode(free.TokenIds.Skip(5).Take(1));
        Assert.False(string.IsNullOrEmpty(stop));
        var expected = free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)];
        var stopped = generator.Generate(Prompts[2], new GenerationOptions { MaxNewTokens = 20, StopSequences = ["never appears", stop] });
        Assert.Equal(FinishReason.StopSequence, stopped.FinishReason);
        Assert.Equal(expected, stopped.Text);
        Assert.True(stopped.TokenIds.Count <= 6, $"generation went on for {stopped.TokenIds.Count} tokens after the stop");
    }

    [Fact]
    public void End_of_sequence_token_ends_a_row_without_being_emitted()
    {
        using var model = GenerationModels.NewGpt2(seed: 47);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var free = generator.Generate(Prompts[0], new GenerationOptions { MaxNewTokens = 10 });
        var eos = free.TokenIds[3];
        var ended = generator.Generate(Prompts[0], new GenerationOptions { MaxNewTokens = 10, EndOfSequenceTokenId = eos });
        Assert.Equal(FinishReason.EndOfSequence, ended.FinishReason);
        Assert.Equal(free.TokenIds.TakeWhile(t => t != eos), ended.TokenIds);
    }

    [Fact]
    public void Generation_stops_at_the_context_window()
    {
        using var model = GenerationModels.NewGpt2(seed: 48);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var prompt = string.Join(" ", Enumerable.Repeat("word", 60));
        var promptTokens = generator.CountTokens(prompt);
        var result = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 50 });
        Assert.Equal(GenerationModels.Gpt2.Context - promptTokens, result.TokenIds.Count);
        Assert.Equal(FinishReason.ContextFull, result.FinishReason);
    }

    [Fact]
    public void A_prompt_that_does_not_fit_throws_with_the_token_counts_and_the_window()
    {
        using var model = GenerationModels.NewGpt2(seed: 49);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var prompt = string.Join(" ", Enumerable.Repeat("word", 80));
        var tokens = generator.CountTokens(prompt);
        var error = Assert.Throws<PromptTooLongException>(() => generator.Generate(prompt));
        Assert.Equal(tokens, error.PromptTokens);
        Assert.Equal(GenerationModels.Gpt2.Context, error.ContextLength);
        Assert.Contains($"{tokens} tokens", error.Message);
        Assert.Contains($"context window is {GenerationModels.Gpt2.Context} tokens", error.Message);
    }

    [Fact]
    public void Generation_restores_training_mode_and_records_no_gradients()
    {
        using var model = GenerationModels.NewGpt2(seed: 50);
        model.train();
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        generator.Generate(Prompts[1], new GenerationOptions { MaxNewTokens = 3 });
        Assert.True(model.training);
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }
}
