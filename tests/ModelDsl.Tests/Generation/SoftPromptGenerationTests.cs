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
        // The virtual tokens do change what is generated, so the comparison above exercised them.
        Assert.NotEqual(plain[0].TokenIds, cached[0].TokenIds);
    }
}
