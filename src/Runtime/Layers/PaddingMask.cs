using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Turns a padding mask <c>[B, T]</c> (1 = real token, 0 = padding) into what a decoder needs:
/// positions that count real tokens only (so left padding does not shift them) and a boolean attention
/// mask that combines causality with the padding.
/// </summary>
public static class PaddingMask
{
    /// <summary>
    /// Position of each token among the real tokens of its row: <c>cumsum(mask) - 1</c>, clamped at 0
    /// (padding before the first real token gets position 0). <c>[B, T]</c> int64.
    /// </summary>
    public static Tensor PositionIds(Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var counts = attentionMask.to_type(ScalarType.Int64).cumsum(-1);   // (B, T)
        return (counts - 1).clamp_min(0).MoveToOuterDisposeScope();
    }

    /// <summary>Positions <c>0 … T-1</c> for every row, <c>[B, T]</c> int64, when there is no padding.</summary>
    public static Tensor DefaultPositionIds(long batch, long time, Device device)
    {
        using var scope = NewDisposeScope();
        return arange(time, dtype: ScalarType.Int64, device: device).unsqueeze(0).expand(batch, time).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Boolean attention mask <c>[B, 1, T, T]</c>, true where query <c>t</c> may attend key <c>s</c>:
    /// <c>s ≤ t</c> and key <c>s</c> is a real token. Every query may also attend itself, so that rows of
    /// pure padding keep a finite softmax (their outputs are never read by real tokens, and a NaN there
    /// would leak into real tokens through 0·NaN in the next layer).
    /// </summary>
    public static Tensor CausalAttentionMask(Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var time = attentionMask.shape[1];
        var device = attentionMask.device;
        var causal = ones(time, time, dtype: ScalarType.Bool, device: device).tril();          // (T, T)
        var keyIsReal = attentionMask.to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1);      // (B, 1, 1, T)
        var self = eye(time, dtype: ScalarType.Bool, device: device);                           // (T, T)
        return (causal.logical_and(keyIsReal)).logical_or(self).MoveToOuterDisposeScope();    // (B, 1, T, T)
    }

    /// <summary>
    /// Boolean attention mask <c>[B, 1, T, S]</c> for the last <paramref name="queries"/> = <c>T</c> positions of a sequence
    /// whose padding mask over all <c>S</c> positions (cached and new) is <paramref name="attentionMask"/> <c>[B, S]</c>:
    /// query <c>t</c> (at absolute position <c>S - T + t</c>) may attend a real key at or before it, and itself. With
    /// <c>T = S</c> this is <see cref="CausalAttentionMask"/>.
    /// </summary>
    public static Tensor CachedAttentionMask(Tensor attentionMask, long queries)
    {
        using var scope = NewDisposeScope();
        var keys = attentionMask.shape[1];
        var device = attentionMask.device;
        var keyIndex = arange(keys, dtype: ScalarType.Int64, device: device).unsqueeze(0);                      // (1, S)
        var queryIndex = arange(keys - queries, keys, dtype: ScalarType.Int64, device: device).unsqueeze(1);    // (T, 1)
        var causal = keyIndex.le(queryIndex);                                                                   // (T, S)
        var self = keyIndex.eq(queryIndex);                                                                     // (T, S)
        var keyIsReal = attentionMask.to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1);                       // (B, 1, 1, S)
        return causal.logical_and(keyIsReal).logical_or(self).MoveToOuterDisposeScope();                        // (B, 1, T, S)
    }

    /// <summary>
    /// Restricts attention to a sliding window of <paramref name="window"/> keys, the query's own included, as Hugging
    /// Face's sliding-window masks do (key slot <c>s</c> is visible to query slot <c>q</c> when <c>q - window &lt; s ≤ q</c>):
    /// <paramref name="mask"/> <c>[B, 1, T, S]</c> (boolean, for the last <paramref name="queries"/> = <c>T</c> of
    /// <paramref name="keys"/> = <c>S</c> slots), or plain causal attention when it is <see langword="null"/>, AND the
    /// window. Slots are positions in the sequence as stored (padding included), as the cache holds them.
    /// </summary>
    public static Tensor SlidingWindow(Tensor? mask, long queries, long keys, long window, Device device)
    {
        using var scope = NewDisposeScope();
        var keyIndex = arange(keys, dtype: ScalarType.Int64, device: device).unsqueeze(0);                      // (1, S)
        var queryIndex = arange(keys - queries, keys, dtype: ScalarType.Int64, device: device).unsqueeze(1);    // (T, 1)
        var inWindow = keyIndex.gt(queryIndex - window);                                                        // (T, S)
        var result = mask is null
            ? keyIndex.le(queryIndex).logical_and(inWindow).unsqueeze(0).unsqueeze(0)                           // (1, 1, T, S)
            : mask.logical_and(inWindow);                                                                       // (B, 1, T, S)
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Throws when <paramref name="attentionMask"/> is not <c>[B, T]</c> for input <c>[B, T, …]</c>.</summary>
    public static void CheckShape(Tensor attentionMask, Tensor input)
    {
        if (attentionMask.dim() != 2 || attentionMask.shape[0] != input.shape[0] || attentionMask.shape[1] != input.shape[1])
            throw new ArgumentException(
                $"The attention mask must be [batch, time] = [{input.shape[0]}, {input.shape[1]}] to match the input, "
                + $"got [{string.Join(", ", attentionMask.shape)}].", nameof(attentionMask));
    }
}
