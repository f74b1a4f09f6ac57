using System;
using System.Linq;
using ModelDsl.Generation;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generation;

/// <summary>
/// Token ids outside the vocabulary are refused before they reach the embedding; every prompt of a batch gets the
/// token budget it would get alone; a temperature so small that it overflows decodes greedily.
/// </summary>
public sealed class GenerationSafetyTests
{
    [Fact]
    public void A_prompt_id_outside_the_vocabulary_is_refused_with_a_clear_error()
    {
        using var model = GenerationModels.NewGpt2(seed: 1);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);

        var error = Assert.Throws<ArgumentException>(() => generator.GenerateTokens([[1, 2, GenerationModels.Vocab]]));

        Assert.Contains($"token id {GenerationModels.Vocab}, outside the model's vocabulary of {GenerationModels.Vocab}", error.Message);
        Assert.Throws<ArgumentException>(() => generator.GenerateTokens([[-1]]));
    }

    [Fact]
    public void An_end_of_sequence_id_outside_the_vocabulary_is_refused()
    {
        using var model = GenerationModels.NewGpt2(seed: 1);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var error = Assert.Throws<ArgumentException>(() => generator.GenerateTokens([[1, 2]], new GenerationOptions { EndOfSequenceTokenId = 1 << 20 }));
        Assert.Contains("EndOfSequenceTokenId", error.Message);
    }

    [Fact]
    public void Scoring_refuses_a_tokenizer_whose_ids_exceed_the_vocabulary()
    {
        // A GPT-2 model with a 300-token vocabulary, scored with GPT-2's 50,257-token tokenizer.
        manual_seed(2);
        using var model = new ModelDsl.Models.Gpt2LMHeadModel(GenerationModels.Gpt2 with { Vocab = 300 });
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var error = Assert.Throws<ArgumentException>(() => generator.ScoreContinuations("The weather today is", [" sunny", " wet"]));
        Assert.Contains("outside the model's vocabulary of 300", error.Message);
    }

    [Fact]
    public void Each_prompt_of_a_batch_gets_the_budget_it_would_get_alone()
    {
        using var model = GenerationModels.NewGpt2(seed: 3);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var context = (int)model.ContextLength;
        // The long prompt leaves room for 2 tokens; the short one for all 6 asked for.
        int[] longPrompt = Enumerable.Range(100, context - 2).ToArray();
        int[] shortPrompt = [464, 3797];
        var options = new GenerationOptions { MaxNewTokens = 6 };

        var batch = generator.GenerateTokens([longPrompt, shortPrompt], options);
        var longAlone = generator.GenerateTokens([longPrompt], options)[0];
        var shortAlone = generator.GenerateTokens([shortPrompt], options)[0];

        Assert.Equal(6, batch[1].TokenIds.Count);
        Assert.Equal(FinishReason.Length, batch[1].FinishReason);
        Assert.Equal(shortAlone.TokenIds, batch[1].TokenIds);
        Assert.Equal(2, batch[0].TokenIds.Count);
        Assert.Equal(FinishReason.ContextFull, batch[0].FinishReason);
        Assert.Equal(longAlone.TokenIds, batch[0].TokenIds);
    }

    [Theory]
    [InlineData(1e-45)]
    [InlineData(double.Epsilon)]
    public void A_temperature_so_small_that_it_overflows_decodes_greedily(double temperature)
    {
        using var model = GenerationModels.NewGpt2(seed: 4);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var greedy = generator.Generate("The cat", new GenerationOptions { MaxNewTokens = 8 });
        var tiny = generator.Generate("The cat", new GenerationOptions { MaxNewTokens = 8, Temperature = temperature, Seed = 1 });
        Assert.Equal(greedy.TokenIds, tiny.TokenIds);
    }
}
