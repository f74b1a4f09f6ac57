using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Generation;

/// <summary>
/// Picks the next token from last-position logits: argmax, or sampling with temperature, top-k and top-p. A temperature
/// so small that <c>logits / T</c> overflows float32 puts all the probability on the most likely token anyway, so a row
/// that overflows is decoded greedily (instead of sampling from NaN probabilities).
/// </summary>
internal static class TokenSampler
{
    /// <summary>Next token ids <c>[B]</c> int64 for <paramref name="logits"/> <c>[B, V]</c>.</summary>
    public static Tensor Pick(Tensor logits, GenerationOptions options, Generator generator)
    {
        using var scope = NewDisposeScope();
        if (options.IsGreedy) return logits.argmax(-1).MoveToOuterDisposeScope();          // (B)
        var scaled = logits.to_type(ScalarType.Float32) / options.Temperature;              // (B, V)
        // A finite logit that became infinite (or NaN) overflowed; -inf logits (masked tokens) stay as they are.
        var overflowed = logits.isfinite().logical_and(scaled.isfinite().logical_not()).any(-1); // (B)
        var anyOverflow = overflowed.any().item<bool>();
        if (anyOverflow) scaled = scaled.masked_fill(overflowed.unsqueeze(-1), 0.0);         // sampled, then replaced by argmax
        if (options.TopK > 0 && options.TopK < scaled.shape[^1])
        {
            var (top, _) = scaled.topk(options.TopK, dim: -1);                              // (B, k)
            var kth = top[TensorIndex.Ellipsis, TensorIndex.Slice(-1)];                      // (B, 1)
            scaled = scaled.masked_fill(scaled.lt(kth), double.NegativeInfinity);           // (B, V)
        }
        if (options.TopP < 1)
        {
            var (sorted, order) = scaled.sort(-1, descending: true);                         // (B, V) each
            var probabilities = sorted.softmax(-1);                                          // (B, V)
            // Drop a token when the more likely ones already reach TopP; the most likely token always stays.
            var before = probabilities.cumsum(-1) - probabilities;                           // (B, V)
            sorted = sorted.masked_fill(before.gt(options.TopP), double.NegativeInfinity);   // (B, V)
            scaled = full_like(scaled, double.NegativeInfinity).scatter(-1, order, sorted);  // (B, V)
        }
        var picked = scaled.softmax(-1).multinomial(1, generator: generator).squeeze(-1);    // (B)
        if (anyOverflow) picked = where(overflowed, logits.argmax(-1), picked);              // (B)
        return picked.MoveToOuterDisposeScope();
    }
}
