using System.Linq;
using ModelDsl.Generation;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Tests.Generation;
using Xunit;

namespace ModelDsl.Tests.IO;

/// <summary><c>generation_config.json</c>: what becomes a generation default, and what is refused by name.</summary>
public sealed class GenerationConfigTests
{
    [Fact]
    public void Llama3_instruct_config_samples_with_its_values_and_stops_at_three_ids()
    {
        // The shape of Llama 3.x Instruct's generation_config.json: three ids end a turn or the text.
        var config = GenerationConfig.Parse("""
            {"bos_token_id": 128000, "do_sample": true, "eos_token_id": [128001, 128008, 128009],
             "temperature": 0.6, "top_p": 0.9, "transformers_version": "4.45.0.dev0"}
            """);
        var options = GenerationOptions.FromGenerationConfig(config);
        Assert.Equal(new[] { 128001, 128008, 128009 }, options.EndOfSequenceTokenIds);
        Assert.Equal(128000, config.BosTokenId);
        Assert.Equal((0.6, 0.9, 50), (options.Temperature, options.TopP, options.TopK));   // top_k: transformers' default 50
        Assert.Equal(new GenerationOptions().MaxNewTokens, options.MaxNewTokens);
        Assert.True(options.IsEndOfSequence(128008));
        Assert.False(options.IsEndOfSequence(128000));
    }

    [Fact]
    public void A_single_eos_id_and_no_sampling_decode_greedily()
    {
        var options = GenerationOptions.FromGenerationConfig(GenerationConfig.Parse(
            """{"eos_token_id": 2, "temperature": 0.7, "max_new_tokens": 12, "max_length": 4096, "num_beams": 1, "repetition_penalty": 1.0}"""));
        Assert.Equal(new[] { 2 }, options.EndOfSequenceTokenIds);
        Assert.True(options.IsGreedy);   // do_sample absent: transformers ignores temperature
        Assert.Equal(12, options.MaxNewTokens);
    }

    [Theory]
    [InlineData("""{"do_sample": true, "repetition_penalty": 1.05}""", "repetition_penalty", "1.05")]
    [InlineData("""{"num_beams": 4}""", "num_beams", "4")]
    [InlineData("""{"min_p": 0.05}""", "min_p", "0.05")]
    [InlineData("""{"no_repeat_ngram_size": 3}""", "no_repeat_ngram_size", "3")]
    [InlineData("""{"max_length": 20}""", "max_length", "max_new_tokens")]
    [InlineData("""{"do_sample": true, "temperature": 0}""", "temperature", "positive")]
    [InlineData("""{"eos_token_id": "</s>"}""", "eos_token_id", "token id")]
    [InlineData("""{"eos_token_id": [1, -2]}""", "eos_token_id", "token id")]
    [InlineData("""{"top_p": 1.5}""", "top_p", "(0, 1]")]
    [InlineData("""{"top_k": 2.5}""", "top_k", "integer")]
    [InlineData("""{"do_sample": "yes"}""", "do_sample", "true or false")]
    [InlineData("""{"my_custom_decoding": 1}""", "my_custom_decoding", "not known")]
    public void Fields_that_change_decoding_unsupported_are_refused_by_name(string json, string field, string detail)
    {
        var error = Assert.Throws<ModelConfigException>(() => GenerationConfig.Parse(json));
        Assert.Equal(field, error.Field);
        Assert.Contains($"\"{field}\"", error.Message);
        Assert.Contains(detail, error.Message);
    }

    [Fact]
    public void Malformed_files_are_reported()
    {
        Assert.Contains("not valid JSON", Assert.Throws<ModelConfigException>(() => GenerationConfig.Parse("{")).Message);
        Assert.Contains("JSON object", Assert.Throws<ModelConfigException>(() => GenerationConfig.Parse("[1]")).Message);
    }

    [Fact]
    public void Generation_stops_at_any_of_the_end_of_sequence_ids()
    {
        using var model = GenerationModels.NewGpt2(seed: 5);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var free = generator.Generate("The cat", new GenerationOptions { MaxNewTokens = 4 });
        Assert.Equal(4, free.TokenIds.Count);
        var second = free.TokenIds[1];
        var unused = Enumerable.Range(0, 50257).First(id => !free.TokenIds.Contains(id));

        var stopped = generator.Generate("The cat", new GenerationOptions { MaxNewTokens = 4, EndOfSequenceTokenIds = [unused, second] });

        Assert.Equal(FinishReason.EndOfSequence, stopped.FinishReason);
        Assert.Equal(free.TokenIds.TakeWhile(id => id != second), stopped.TokenIds);
    }
}
