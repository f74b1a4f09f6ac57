using System.Collections.Generic;
using System.Linq;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Tests.IO;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>
/// A tiny random checkpoint per family, written as Hugging Face writes it (safetensors + config.json, with hub
/// variations), loaded by the runtime and compared with <see cref="DecoderReference"/>, a float64 re-implementation
/// written from the Hugging Face modeling files. Each test also checks that what it is about matters: without the
/// family's difference (scaling, window, biases, norms) the reference moves by more than the tolerance.
/// </summary>
public sealed class FamilyNumericsTests
{
    const double Tolerance = 1e-4;

    static readonly TinyDecoder Llama3 = new("llama", 2, 32, 2, 1, 16, 48, 61, 128, false, 1e-5, 10000, Rope: ("llama3", 8, 1, 4, 64));
    static readonly TinyDecoder LinearLlama = new("llama", 2, 32, 2, 2, 8, 48, 61, 128, true, 1e-5, 500, Rope: ("linear", 4, 0, 0, 0));
    static readonly TinyDecoder Mistral = new("mistral", 2, 32, 4, 2, 8, 48, 61, 64, false, 1e-5, 10000, Window: 5);
    static readonly TinyDecoder Qwen2 = new("qwen2", 2, 32, 4, 2, 8, 48, 61, 64, true, 1e-6, 1000000, Window: 4, FirstSlidingLayer: 1);
    static readonly TinyDecoder Qwen3 = new("qwen3", 2, 32, 4, 2, 16, 48, 61, 64, true, 1e-6, 1000000);
    static readonly TinyDecoder Phi3 = new("phi3", 2, 32, 4, 2, 8, 48, 61, 64, false, 1e-5, 10000, Window: 6);
    static readonly TinyDecoder Gemma = new("gemma", 2, 32, 4, 1, 16, 48, 61, 64, true, 1e-6, 10000);

    static (Tensor Actual, Tensor Expected, Dictionary<string, Tensor> Weights, Tensor Ids, System.Type Model) Run(TinyDecoder c, long time, long seed,
        IReadOnlyDictionary<string, object?>? extraFields = null, System.Func<Dictionary<string, Tensor>, IEnumerable<KeyValuePair<string, Tensor>>>? extraTensors = null)
    {
        using var dir = new TempDirectory();
        var weights = c.RandomWeights(seed);
        HubCheckpoint.Write(dir.Path, c, weights, extraFields, extraTensors?.Invoke(weights));
        using var model = PretrainedCheckpoint.FromPretrained(dir.Path);
        model.eval();
        var ids = TinyModels.Ids(c.Vocab, batch: 2, time, seed + 1);
        using var _ = no_grad();
        var actual = model.Forward(ids);
        Assert.Equal(new long[] { 2, time, c.Vocab }, actual.shape);
        return (actual, DecoderReference.Logits(c, weights, ids), weights, ids, model.GetType());
    }

    static void AssertMatches(Tensor actual, Tensor expected) =>
        Assert.True(TensorCompare.MaxAbsDifference(actual, expected) < Tolerance, $"max |model - reference| = {TensorCompare.MaxAbsDifference(actual, expected)}");

    // The feature under test changes the logits by far more than the tolerance: the comparison above could fail.
    static void AssertMatters(Tensor expected, TinyDecoder without, Dictionary<string, Tensor> weights, Tensor ids)
    {
        using var other = DecoderReference.Logits(without, weights, ids);
        Assert.True(TensorCompare.MaxAbsDifference(other, expected) > 100 * Tolerance, "the feature under test does not change these logits");
    }

    [Fact]
    public void Llama3_rope_scaling_matches_in_all_three_frequency_bands()
    {
        // head_dim 16, θ 10000: wavelengths 6.3, 19.9, 62.8, 199, … against original/high = 16 and original/low = 64,
        // so the first frequency is kept, the next two are interpolated, the rest are divided by the factor.
        var wavelengths = DecoderReference.InverseFrequencies(Llama3 with { Rope = null }).Select(f => 2 * System.Math.PI / f).ToArray();
        Assert.Equal(1, wavelengths.Count(w => w < 16));
        Assert.Equal(2, wavelengths.Count(w => w is >= 16 and <= 64));
        Assert.Equal(5, wavelengths.Count(w => w > 64));

        var (actual, expected, weights, ids, type) = Run(Llama3, time: 40, seed: 11);

        Assert.Equal(typeof(LlamaForCausalLM), type);
        AssertMatches(actual, expected);
        AssertMatters(expected, Llama3 with { Rope = null }, weights, ids);
    }

    [Fact]
    public void Linear_rope_scaling_with_an_explicit_head_dim_and_legacy_rotary_buffers_matches()
    {
        // head_dim 8 with hidden 32 and 2 heads: the projections are narrower than the width.
        var (actual, expected, weights, ids, _) = Run(LinearLlama, time: 24, seed: 12,
            extraTensors: _ => Enumerable.Range(0, LinearLlama.Layers)
                .Select(i => new KeyValuePair<string, Tensor>($"model.layers.{i}.self_attn.rotary_emb.inv_freq", ones(4))));

        AssertMatches(actual, expected);
        AssertMatters(expected, LinearLlama with { Rope = null }, weights, ids);
    }

    [Fact]
    public void Mistral_applies_its_sliding_window_to_a_longer_sequence()
    {
        var (actual, expected, weights, ids, type) = Run(Mistral, time: 14, seed: 13);

        Assert.Equal(typeof(MistralForCausalLM), type);
        AssertMatches(actual, expected);
        AssertMatters(expected, Mistral with { Window = 0 }, weights, ids);
    }

    [Fact]
    public void Qwen2_biases_and_its_window_from_max_window_layers_match()
    {
        var (actual, expected, weights, ids, type) = Run(Qwen2, time: 12, seed: 14,
            extraTensors: _ => [new("model.layers.0.self_attn.rotary_emb.inv_freq", ones(4))]);

        Assert.Equal(typeof(Qwen2ForCausalLM), type);
        AssertMatches(actual, expected);
        AssertMatters(expected, Qwen2 with { Window = 0 }, weights, ids);
        var unbiased = weights.ToDictionary(kv => kv.Key, kv => kv.Key.EndsWith(".bias") ? zeros_like(kv.Value) : kv.Value);
        using var withoutBias = DecoderReference.Logits(Qwen2, unbiased, ids);
        Assert.True(TensorCompare.MaxAbsDifference(withoutBias, expected) > 100 * Tolerance, "the q/k/v biases do not change these logits");
    }

    [Fact]
    public void Qwen3_per_head_query_and_key_norms_match()
    {
        var (actual, expected, weights, ids, type) = Run(Qwen3, time: 10, seed: 15);

        Assert.Equal(typeof(Qwen3ForCausalLM), type);
        AssertMatches(actual, expected);
        var plainNorms = weights.ToDictionary(kv => kv.Key, kv => kv.Key.Contains("q_norm") || kv.Key.Contains("k_norm") ? ones_like(kv.Value) : kv.Value);
        using var other = DecoderReference.Logits(Qwen3, plainNorms, ids);
        Assert.True(TensorCompare.MaxAbsDifference(other, expected) > 100 * Tolerance, "the q/k norm weights do not change these logits");
    }

    [Fact]
    public void Phi3_fused_projections_and_window_match()
    {
        var (actual, expected, weights, ids, type) = Run(Phi3, time: 12, seed: 16);

        Assert.Equal(typeof(Phi3ForCausalLM), type);
        AssertMatches(actual, expected);
        AssertMatters(expected, Phi3 with { Window = 0 }, weights, ids);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gemma_unit_offset_norm_embedding_scale_and_gelu_match(bool exactGelu)
    {
        // An older export: the tied head stored as well (it must equal the embedding).
        var gemma = Gemma with { ExactGelu = exactGelu };
        var (actual, expected, weights, ids, type) = Run(gemma, time: 10, seed: 17,
            extraTensors: w => [new("lm_head.weight", w["model.embed_tokens.weight"])]);

        Assert.Equal(typeof(GemmaForCausalLM), type);
        AssertMatches(actual, expected);
        using var otherGelu = DecoderReference.Logits(gemma with { ExactGelu = !exactGelu }, weights, ids);
        Assert.True(TensorCompare.MaxAbsDifference(otherGelu, expected) > Tolerance, "the two GELUs give the same logits here");

        // Scaling by (1 + w) rather than w: the reference given w - 1 for every norm computes what a plain RMSNorm would.
        var plainNorms = weights.ToDictionary(kv => kv.Key, kv => kv.Key.EndsWith("norm.weight") ? kv.Value - 1 : kv.Value);
        using var withPlainNorms = DecoderReference.Logits(gemma, plainNorms, ids);
        Assert.True(TensorCompare.MaxAbsDifference(withPlainNorms, expected) > 100 * Tolerance, "the (1 + w) norms do not change these logits");

        // Without the √hidden embedding scale: embeddings stored divided by it (the head keeps the original, untied) cancel
        // the reference's multiplication, giving what a model without the scale computes.
        var scale = (double)(float)System.Math.Sqrt(gemma.Dim);
        var embedding = weights["model.embed_tokens.weight"];
        var unscaled = new Dictionary<string, Tensor>(weights)
        {
            ["model.embed_tokens.weight"] = embedding.to_type(ScalarType.Float64) / scale,
            ["lm_head.weight"] = embedding,
        };
        using var withoutScale = DecoderReference.Logits(gemma with { Tie = false }, unscaled, ids);
        Assert.True(TensorCompare.MaxAbsDifference(withoutScale, expected) > 100 * Tolerance, "the embedding scale does not change these logits");
    }
}
