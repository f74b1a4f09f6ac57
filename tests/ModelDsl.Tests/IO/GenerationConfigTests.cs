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

    // Every decoding control in transformers' GenerationConfig documentation that ModelDsl does not implement, each with
    // a value that makes generate() behave differently from its documented default (which does nothing).
    [Theory]
    [InlineData("min_length", "5")]                                   // default 0: EOS is masked until the sequence is this long
    [InlineData("min_new_tokens", "5")]                               // default None
    [InlineData("max_time", "2.5")]                                   // default None: stop after this many seconds
    [InlineData("stop_strings", "[\"\\n\\n\"]")]                         // default None
    [InlineData("num_beams", "2")]                                    // default 1: beam search
    [InlineData("num_beam_groups", "2")]                              // default 1: diverse beam search
    [InlineData("penalty_alpha", "0.6")]                              // default None: contrastive search
    [InlineData("dola_layers", "\"high\"")]                           // default None: DoLa decoding
    [InlineData("min_p", "0.05")]                                     // default None
    [InlineData("typical_p", "0.9")]                                  // default 1.0
    [InlineData("epsilon_cutoff", "0.0003")]                          // default 0.0
    [InlineData("eta_cutoff", "0.0003")]                              // default 0.0
    [InlineData("diversity_penalty", "0.5")]                          // default 0.0
    [InlineData("repetition_penalty", "1.1")]                         // default 1.0
    [InlineData("encoder_repetition_penalty", "1.1")]                 // default 1.0
    [InlineData("no_repeat_ngram_size", "3")]                         // default 0
    [InlineData("encoder_no_repeat_ngram_size", "2")]                 // default 0
    [InlineData("bad_words_ids", "[[13]]")]                           // default None
    [InlineData("force_words_ids", "[[42]]")]                         // default None
    [InlineData("renormalize_logits", "true")]                        // default False
    [InlineData("constraints", "[{\"token_ids\": [42]}]")]            // default None
    [InlineData("forced_bos_token_id", "0")]                          // default None
    [InlineData("forced_eos_token_id", "2")]                          // default None
    [InlineData("remove_invalid_values", "true")]                     // default False: nan/inf logits replaced
    [InlineData("exponential_decay_length_penalty", "[10, 1.5]")]     // default None
    [InlineData("suppress_tokens", "[220]")]                          // default None
    [InlineData("begin_suppress_tokens", "[220]")]                    // default None
    [InlineData("forced_decoder_ids", "[[1, 50259]]")]                // default None
    [InlineData("sequence_bias", "[[[13], -10.0]]")]                  // default None
    [InlineData("token_healing", "true")]                             // default False
    [InlineData("guidance_scale", "1.5")]                             // default None: classifier-free guidance
    [InlineData("low_memory", "true")]                                // default None: sequential beam search
    [InlineData("watermarking_config", "{\"greenlist_ratio\": 0.25}")] // default None
    [InlineData("num_return_sequences", "2")]                         // default 1
    [InlineData("prompt_lookup_num_tokens", "10")]                    // default None: prompt-lookup decoding
    public void Every_documented_decoding_control_at_a_working_value_is_refused_by_name(string field, string value)
    {
        var error = Assert.Throws<ModelConfigException>(() => GenerationConfig.Parse($$"""{"eos_token_id": 2, "{{field}}": {{value}}}"""));
        Assert.Equal(field, error.Field);
        Assert.Contains($"\"{field}\" is {value}, which changes decoding", error.Message);
    }

    [Fact]
    public void A_file_that_spells_out_every_documented_default_loads()
    {
        // What save_pretrained wrote in older transformers releases: every field, at its documented default.
        var config = GenerationConfig.Parse("""
            {"max_length": 20, "max_new_tokens": 16, "min_length": 0, "min_new_tokens": null, "early_stopping": false,
             "max_time": null, "stop_strings": null, "do_sample": false, "num_beams": 1, "num_beam_groups": 1,
             "penalty_alpha": null, "dola_layers": null, "use_cache": true, "temperature": 1.0, "top_k": 50, "top_p": 1.0,
             "min_p": null, "typical_p": 1.0, "epsilon_cutoff": 0.0, "eta_cutoff": 0.0, "diversity_penalty": 0.0,
             "repetition_penalty": 1.0, "encoder_repetition_penalty": 1.0, "length_penalty": 1.0, "no_repeat_ngram_size": 0,
             "encoder_no_repeat_ngram_size": 0, "bad_words_ids": null, "force_words_ids": null, "renormalize_logits": false,
             "constraints": null, "forced_bos_token_id": null, "forced_eos_token_id": null, "remove_invalid_values": false,
             "exponential_decay_length_penalty": null, "suppress_tokens": null, "begin_suppress_tokens": null,
             "forced_decoder_ids": null, "sequence_bias": null, "token_healing": false, "guidance_scale": null,
             "low_memory": null, "watermarking_config": null, "num_return_sequences": 1, "output_attentions": false,
             "output_hidden_states": false, "output_scores": false, "output_logits": false, "return_dict_in_generate": false,
             "pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": null,
             "prompt_lookup_num_tokens": null, "transformers_version": "4.45.0"}
            """);
        var options = GenerationOptions.FromGenerationConfig(config);
        Assert.Equal(new[] { 2 }, options.EndOfSequenceTokenIds);
        Assert.Equal(16, options.MaxNewTokens);
        Assert.True(options.IsGreedy);
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
