using ModelDsl.Generation;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generation;

/// <summary>A wrapper that injects virtual tokens at prefill only decodes with the cache exactly as without it.</summary>
public sealed class SoftPromptGenerationTests
{
    [Fact]
    public void Prefill_only_injection_with_the_cache_equals_recomputing()
    {
        using var model = GenerationModels.NewLlama(seed: 95);
        manual_seed(96);
        using var virtualTokens = randn(4, GenerationModels.Llama.Dim) * 0.5;                        // (N, D)
        var setup = new SoftPromptDecoder(model, virtualTokens);
        var generator = new TextGenerator(setup, GenerationModels.Tokenizer);
        string[] prompts = ["Tell me", "A much longer prompt than the first"];
        var options = new GenerationOptions { MaxNewTokens = 12 };

        var cached = generator.Generate(prompts, options);
        var recomputed = generator.Generate(prompts, options with { UseCache = false });
        var plain = new TextGenerator(model, GenerationModels.Tokenizer).Generate(prompts, options);
        for (var i = 0; i < prompts.Length; i++)
            Assert.Equal(recomputed[i].TokenIds, cached[i].TokenIds);
        Assert.Equal(1, setup.CachesCreated);   // only the cached run asked for a cache
        // The virtual tokens do change what is generated, so the comparison above exercised them.
        Assert.NotEqual(plain[0].TokenIds, cached[0].TokenIds);
    }

    [Fact]
    public void A_wrapper_that_cannot_cache_now_is_decoded_by_recomputing()
    {
        using var model = GenerationModels.NewGpt2(seed: 97);
        manual_seed(98);
        using var virtualTokens = randn(3, GenerationModels.Gpt2.Dim) * 0.5;                        // (N, D)
        var cacheable = new SoftPromptDecoder(model, virtualTokens);
        var notNow = new SoftPromptDecoder(model, virtualTokens, supportsCache: false);
        var options = new GenerationOptions { MaxNewTokens = 8 };
        var expected = new TextGenerator(cacheable, GenerationModels.Tokenizer).Generate("Hello there", options);
        var actual = new TextGenerator(notNow, GenerationModels.Tokenizer).Generate("Hello there", options);
        Assert.Equal(0, notNow.CachesCreated);
        Assert.Equal(expected.TokenIds, actual.TokenIds);
    }
}
