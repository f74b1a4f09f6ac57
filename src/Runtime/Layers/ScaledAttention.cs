using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Scaled dot-product attention of <c>T</c> queries over <c>S</c> keys, where the queries are the last <c>T</c> of the
/// <c>S</c> positions (with a key/value cache the keys include the cached ones). A <see langword="null"/> mask means
/// plain causal attention: each query sees every key up to its own position.
/// </summary>
internal static class ScaledAttention
{
    /// <summary>
    /// Attention <c>[B, H, T, hd]</c> of <paramref name="queries"/> <c>[B, H, T, hd]</c> over <paramref name="keys"/> and
    /// <paramref name="values"/> <c>[B, H, S, hd]</c>; <paramref name="mask"/> <c>[B, 1, T, S]</c> boolean (true = may
    /// attend) or <see langword="null"/> when <c>T = S</c> or <c>T = 1</c>.
    /// </summary>
    public static Tensor Causal(Tensor queries, Tensor keys, Tensor values, Tensor? mask)
    {
        if (mask is not null) return nn.functional.scaled_dot_product_attention(queries, keys, values, mask);
        long time = queries.shape[2], keyCount = keys.shape[2];
        // The last position sees every key: no mask. (SDPA's is_causal aligns queries with the first keys, not the last.)
        if (time == 1) return nn.functional.scaled_dot_product_attention(queries, keys, values);
        if (time == keyCount) return nn.functional.scaled_dot_product_attention(queries, keys, values, is_casual: true);
        throw new ArgumentException(
            $"Causal attention of {time} queries over {keyCount} keys needs an explicit mask; the cache's BeginStep builds one.", nameof(mask));
    }
}
