using System.Linq;
using ModelDsl.Generation;
using ModelDsl.Tests.Families;
using ModelDsl.Tokenization;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

/// <summary>Generating through generated setups: the key/value cache must not change a single token.</summary>
public class SetupGenerationTests
{
    static readonly GenerationOptions Greedy = new() { MaxNewTokens = 12 };

    [Fact]
    public void SoftPromptSetupDecodesTheSameWithAndWithoutTheCache()
    {
        manual_seed(51);
        using var setup = new Gpt2TextPrompt(new Gpt2VocabModel(), Tokenizers.Gpt2());
        using (no_grad()) setup.ActivePrompt!.parameters().Single().normal_(0, 1);   // a prompt that matters
        var generator = new TextGenerator(setup, Tokenizers.Gpt2());
        Assert.True(setup.SupportsKeyValueCache);

        var cached = generator.Generate(["Hello there", "A longer prompt with more words"], Greedy with { UseCache = true });
        var recomputed = generator.Generate(["Hello there", "A longer prompt with more words"], Greedy with { UseCache = false });

        Assert.Equal(recomputed.Select(r => r.TokenIds.ToArray()), cached.Select(c => c.TokenIds.ToArray()));
        // One prompt has no padding: the prefill with the virtual tokens and every step then run without masks.
        var alone = generator.Generate(["Hello there"], Greedy with { UseCache = true })[0];
        var aloneRecomputed = generator.Generate(["Hello there"], Greedy with { UseCache = false })[0];
        Assert.Equal(aloneRecomputed.TokenIds.ToArray(), alone.TokenIds.ToArray());
        using (setup.DisableAdapters())
        {
            var withoutPrompt = generator.Generate(["Hello there"], Greedy)[0];
            Assert.NotEqual(cached[0].TokenIds.ToArray(), withoutPrompt.TokenIds.ToArray());
        }
    }

    [Fact]
    public void LoraSetupDecodesTheSameWithAndWithoutTheCacheAndMerged()
    {
        manual_seed(52);
        using var setup = new TinyGpt2Lora(new GeneratedTinyGpt2());
        using (no_grad())
            foreach (var p in setup.TrainableParameters()) p.normal_(0, 0.2);
        var generator = new TextGenerator(setup, Tokenizers.Gpt2());
        int[][] prompts = [[5, 17, 3], [60, 2, 9, 41, 8]];

        var cached = generator.GenerateTokens(prompts, Greedy with { UseCache = true });
        var recomputed = generator.GenerateTokens(prompts, Greedy with { UseCache = false });
        setup.Merge();
        var merged = generator.GenerateTokens(prompts, Greedy with { UseCache = true });

        Assert.Equal(recomputed.Select(r => r.TokenIds.ToArray()), cached.Select(c => c.TokenIds.ToArray()));
        Assert.Equal(cached.Select(r => r.TokenIds.ToArray()), merged.Select(c => c.TokenIds.ToArray()));
    }
}
