using ModelDsl.Models;
using ModelDsl.Tests.Families;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generation;

/// <summary>Prefill plus one-token steps through the cache must give the logits of the full forward.</summary>
public sealed class KeyValueCacheTests
{
    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama")]
    public void Prefill_then_steps_match_the_full_forward_of_a_left_padded_batch(string family)
    {
        using var model = (nn.Module)(family == "llama" ? TinyModels.NewLlama(seed: 31) : (nn.Module)TinyModels.NewGpt2(seed: 31));
        var decoder = (IIncrementalDecoder)model;
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        const int prefill = 5, steps = 6;
        var ids = TinyModels.Ids(decoder.VocabularySize, batch: 2, time: prefill + steps, seed: 3);   // (2, 11)
        var mask = ones(2, prefill + steps, dtype: ScalarType.Int64);                                    // (2, 11)
        mask[0, ..2] = zeros(2, dtype: ScalarType.Int64);                                                // row 0: two pads on the left
        var full = decoder.Forward(ids, mask);                                                           // (2, 11, V)

        using var cache = decoder.CreateCache(batch: 2, capacity: prefill + steps);
        var parts = new System.Collections.Generic.List<Tensor>
        {
            decoder.ForwardEmbeddingsCached(decoder.EmbedTokens(ids[.., ..prefill]), mask[.., ..prefill], cache),   // (2, 5, V)
        };
        for (var t = prefill; t < prefill + steps; t++)
            parts.Add(decoder.ForwardEmbeddingsCached(decoder.EmbedTokens(ids[.., t..(t + 1)]), null, cache));       // (2, 1, V)
        var incremental = cat(parts, dim: 1);                                                                        // (2, 11, V)

        Assert.Equal(prefill + steps, cache.Length);
        var realRow0 = (incremental[0, 2..] - full[0, 2..]).abs().max().item<float>();
        var row1 = (incremental[1] - full[1]).abs().max().item<float>();
        Assert.True(realRow0 < 1e-4, $"padded row: cached logits differ from the full forward by {realRow0}");
        Assert.True(row1 < 1e-4, $"unpadded row: cached logits differ from the full forward by {row1}");
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama")]
    public void A_prefill_for_the_next_token_only_returns_the_last_positions_logits_and_fills_the_same_cache(string family)
    {
        using var model = (nn.Module)(family == "llama" ? TinyModels.NewLlama(seed: 32) : (nn.Module)TinyModels.NewGpt2(seed: 32));
        var decoder = (IIncrementalDecoder)model;
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var ids = TinyModels.Ids(decoder.VocabularySize, batch: 2, time: 7, seed: 4);                   // (2, 7)
        var mask = ones(2, 7, dtype: ScalarType.Int64);
        mask[0, ..3] = zeros(3, dtype: ScalarType.Int64);                                                // left padding in row 0
        using var all = decoder.CreateCache(batch: 2, capacity: 8);
        using var last = decoder.CreateCache(batch: 2, capacity: 8);

        var full = decoder.ForwardEmbeddingsCached(decoder.EmbedTokens(ids[.., ..6]), mask[.., ..6], all);        // (2, 6, V)
        var only = decoder.ForwardEmbeddingsCachedLast(decoder.EmbedTokens(ids[.., ..6]), mask[.., ..6], last);   // (2, 1, V)
        Assert.Equal(new long[] { 2, 1, decoder.VocabularySize }, only.shape);
        // The same dot products, in a product of another shape: float32 summation order may differ in the last bits.
        var difference = (only - full[.., 5..6]).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"the last position's logits differ by {difference}");
        // The next step reads the caches both prefills wrote.
        var step = decoder.EmbedTokens(ids[.., 6..7]);
        var next = decoder.ForwardEmbeddingsCachedLast(step, null, all);
        var nextFromLast = decoder.ForwardEmbeddingsCachedLast(step, null, last);
        Assert.True(next.eq(nextFromLast).all().item<bool>(), "the caches differ after a last-only prefill");
    }

    [Fact]
    public void Positions_continue_after_the_cached_real_tokens()
    {
        using var scope = NewDisposeScope();
        using var cache = new KeyValueCache(layers: 1, batch: 2, capacity: 6);
        var prompt = tensor(new long[] { 0, 0, 1, 1, 1, 1 }, [2, 3]);      // row 0: pad, pad, real; row 1: real × 3
        var (first, firstMask) = cache.BeginStep(prompt);
        cache.EndStep();
        var (next, nextMask) = cache.BeginStep(ones(2, 1, dtype: ScalarType.Int64));
        cache.EndStep();
        Assert.Equal(new long[] { 0, 0, 0, 0, 1, 2 }, first.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 3 }, next.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 1, 3, 3 }, firstMask.shape);
        Assert.Equal(new long[] { 2, 1, 1, 4 }, nextMask.shape);
        // Row 0's new token sees its one real prompt token and itself, not the padding.
        Assert.Equal(new[] { false, false, true, true }, nextMask[0, 0, 0].data<bool>().ToArray());
    }

    [Fact]
    public void Steps_without_padding_build_no_mask_until_one_is_needed()
    {
        using var scope = NewDisposeScope();
        using var cache = new KeyValueCache(layers: 1, batch: 2, capacity: 8);
        var (first, firstMask) = cache.BeginStep(3);
        cache.EndStep();
        var (next, nextMask) = cache.BeginStep(1);
        cache.EndStep();
        Assert.Equal(new long[] { 0, 1, 2, 0, 1, 2 }, first.contiguous().data<long>().ToArray());
        Assert.Equal(new long[] { 3, 3 }, next.contiguous().data<long>().ToArray());
        Assert.Null(firstMask);
        Assert.Null(nextMask);

        // Two tokens after cached ones: the first must not see the second, so the mask is built.
        var (pair, pairMask) = cache.BeginStep(2);
        cache.EndStep();
        Assert.Equal(new long[] { 4, 5, 4, 5 }, pair.contiguous().data<long>().ToArray());
        Assert.NotNull(pairMask);
        Assert.Equal(new[] { true, true, true, true, true, false }, pairMask![0, 0, 0].data<bool>().ToArray());

        // Once a step came with a padding mask, later steps build masks too.
        var (_, paddedMask) = cache.BeginStep(tensor(new long[] { 0, 1 }, [2, 1]));
        cache.EndStep();
        var (after, afterMask) = cache.BeginStep(1);
        cache.EndStep();
        Assert.NotNull(afterMask);
        Assert.Equal(new long[] { 6, 7 }, after.data<long>().ToArray());
        Assert.Equal(new[] { true, true, true, true, true, true, false, true }, afterMask![0, 0, 0].data<bool>().ToArray());
        Assert.Equal(new long[] { 2, 1, 1, 7 }, paddedMask.shape);
    }

    [Fact]
    public void A_full_cache_refuses_more_tokens_with_the_numbers()
    {
        using var scope = NewDisposeScope();
        using var cache = new KeyValueCache(layers: 1, batch: 1, capacity: 2);
        cache.BeginStep(ones(1, 2, dtype: ScalarType.Int64));
        cache.EndStep();
        var error = Assert.Throws<System.InvalidOperationException>(() => cache.BeginStep(ones(1, 1, dtype: ScalarType.Int64)));
        Assert.Contains("holds 2 positions", error.Message);
        Assert.Contains("capacity is 2", error.Message);
    }
}
