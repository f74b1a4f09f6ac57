using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>
/// Incremental decoding with the key/value cache equals recomputing the whole sequence, for every family, with a
/// left-padded batch, and past the sliding window (the windows here are shorter than the sequences decoded).
/// </summary>
public sealed class FamilyCachedDecodingTests
{
    public static TheoryData<string> Families => new() { "gpt2", "llama3", "mistral", "qwen2", "qwen3", "phi3", "gemma" };

    static DecoderLanguageModel NewModel(string family)
    {
        manual_seed(21);
        DecoderLanguageModel model = family switch
        {
            "gpt2" => new Gpt2LMHeadModel(new Gpt2Config(2, 32, 4, 61, 32)),
            "llama3" => new LlamaForCausalLM(new LlamaConfig(2, 32, 4, 2, 48, 61, 32, 10000, HeadDim: 16,
                RopeScaling: RotaryScaling.Llama3(8, 1, 4, 16))),
            "mistral" => new MistralForCausalLM(new MistralConfig(2, 32, 4, 2, 48, 61, 32, SlidingWindow: 5)),
            "qwen2" => new Qwen2ForCausalLM(new Qwen2Config(3, 32, 4, 2, 48, 61, 32, TieEmbeddings: true, SlidingWindow: 4, MaxWindowLayers: 1)),
            "qwen3" => new Qwen3ForCausalLM(new Qwen3Config(2, 32, 4, 2, 48, 61, 32, HeadDim: 16, SlidingWindow: 6, MaxWindowLayers: 0)),
            "phi3" => new Phi3ForCausalLM(new Phi3Config(2, 32, 4, 4, 48, 61, 32, SlidingWindow: 6)),
            _ => new GemmaForCausalLM(new GemmaConfig(2, 32, 4, 1, 48, 61, 32, HeadDim: 16)),
        };
        // Weights larger than Hugging Face's 0.02 initialisation, and biases and norms away from their start, so that a
        // wrong mask or position moves the logits.
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                p.copy_(name.Contains("norm") || name.Contains("ln_") ? p + randn_like(p) * 0.1 : randn_like(p) * 0.2);
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Cached_greedy_decoding_equals_recomputation(string family)
    {
        using var model = NewModel(family);
        using var _ = no_grad();
        // Two prompts, the shorter one left-padded.
        var rows = new List<List<long>> { new() { 5, 9, 13, 2, 40, 7 }, new() { 0, 0, 0, 33, 21, 8 } };
        var mask = new List<List<long>> { new() { 1, 1, 1, 1, 1, 1 }, new() { 0, 0, 0, 1, 1, 1 } };
        const int steps = 14;   // 20 positions in all: past every window above

        using var cache = model.CreateCache(2, rows[0].Count + steps);
        using var prompt = tensor(rows.SelectMany(r => r).ToArray()).view(2, -1);
        using var promptMask = tensor(mask.SelectMany(r => r).ToArray()).view(2, -1);
        var cached = model.ForwardEmbeddingsCached(model.EmbedTokens(prompt), promptMask, cache);   // (2, T, V)
        for (var step = 0; step < steps; step++)
        {
            using var ids = tensor(rows.SelectMany(r => r).ToArray()).view(2, -1);
            using var fullMask = tensor(mask.SelectMany(r => r).ToArray()).view(2, -1);
            using var recomputed = model.Forward(ids, fullMask)[.., -1];                               // (2, V)
            using var last = cached[.., -1];
            var difference = TensorCompare.MaxAbsDifference(last, recomputed);
            Assert.True(difference < 1e-5, $"{family}, step {step}: max |cached - recomputed| = {difference}");
            using var fromCache = last.argmax(-1);
            using var fromFull = recomputed.argmax(-1);
            Assert.Equal(fromFull.data<long>().ToArray(), fromCache.data<long>().ToArray());

            var next = fromCache.data<long>().ToArray();
            for (var b = 0; b < 2; b++)
            {
                rows[b].Add(next[b]);
                mask[b].Add(1);
            }
            using var nextIds = tensor(next).view(2, 1);
            cached.Dispose();
            cached = model.ForwardEmbeddingsCached(model.EmbedTokens(nextIds), null, cache);            // (2, 1, V)
        }
        cached.Dispose();
        Assert.Equal(rows[0].Count, cache.Length);
    }

    // Without padding masks the cache skips building attention masks for the prefill and single-token steps; a step of
    // several tokens after cached ones still needs one. Every path must give the logits of recomputing the sequence.
    [Theory]
    [MemberData(nameof(Families))]
    public void Cached_decoding_without_padding_masks_equals_recomputation(string family)
    {
        using var model = NewModel(family);
        using var _ = no_grad();
        using var ids = TinyModels.Ids(61, 2, 20, seed: 5);                                           // (2, 20): past every window
        using var full = model.Forward(ids);                                                           // (2, 20, V)
        using var cache = model.CreateCache(2, 20);
        var parts = new List<Tensor> { model.ForwardEmbeddingsCached(model.EmbedTokens(ids[.., ..4]), null, cache) };
        for (var t = 4; t < 12; t++)
            parts.Add(model.ForwardEmbeddingsCached(model.EmbedTokens(ids[.., t..(t + 1)]), null, cache));
        parts.Add(model.ForwardEmbeddingsCached(model.EmbedTokens(ids[.., 12..15]), null, cache));      // three at once
        for (var t = 15; t < 20; t++)
            parts.Add(model.ForwardEmbeddingsCached(model.EmbedTokens(ids[.., t..(t + 1)]), null, cache));
        using var incremental = cat(parts, dim: 1);                                                    // (2, 20, V)
        foreach (var part in parts) part.Dispose();
        for (var t = 0; t < 20; t++)
        {
            var difference = TensorCompare.MaxAbsDifference(incremental[.., t], full[.., t]);
            Assert.True(difference < 1e-5, $"{family}, position {t}: max |cached - recomputed| = {difference}");
        }
    }

    [Fact]
    public void A_step_with_more_sequences_than_the_cache_is_refused()
    {
        using var model = NewModel("gpt2");
        using var _ = no_grad();
        using var cache = model.CreateCache(2, 8);
        using var ids = TinyModels.Ids(61, 1, 3, seed: 5);
        var error = Assert.Throws<System.ArgumentException>(() => model.ForwardEmbeddingsCached(model.EmbedTokens(ids), null, cache));
        Assert.Contains("1 sequences but the cache holds 2", error.Message);
    }

    [Theory]
    [InlineData("mistral")]
    [InlineData("phi3")]
    public void The_window_changes_what_a_long_sequence_sees(string family)
    {
        // The same weights with a window longer than the sequence give other logits past the window only.
        using var windowed = NewModel(family);
        using DecoderLanguageModel full = windowed switch
        {
            MistralForCausalLM mistral => new MistralForCausalLM(mistral.Config with { SlidingWindow = 0 }),
            Phi3ForCausalLM phi3 => new Phi3ForCausalLM(phi3.Config with { SlidingWindow = 0 }),
            _ => throw new System.ArgumentOutOfRangeException(nameof(family)),
        };
        full.load_state_dict(windowed.state_dict());
        full.eval();
        using var _ = no_grad();
        using var ids = TinyModels.Ids(61, 1, 16, seed: 3);
        using var a = windowed.Forward(ids);
        using var b = full.Forward(ids);
        Assert.True(TensorCompare.MaxAbsDifference(a[.., ..5], b[.., ..5]) < 1e-6, "positions inside the window differ");
        Assert.True(TensorCompare.MaxAbsDifference(a[.., 7..], b[.., 7..]) > 1e-3, "positions past the window do not see fewer keys");
    }
}
