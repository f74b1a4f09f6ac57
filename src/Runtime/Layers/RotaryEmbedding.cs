using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Rotary position embedding in Hugging Face's non-interleaved ("rotate_half") layout: the first and second
/// halves of each head are the two coordinates of each rotated pair, with frequencies
/// <c>inv_freq[i] = 1 / θ^(2i/d)</c> for <c>i &lt; d/2</c>. Holds no parameters or buffers (the frequencies are
/// recomputed, as a checkpoint does not store them).
/// </summary>
public sealed class RotaryEmbedding
{
    /// <summary>Width of one attention head (even).</summary>
    public long HeadDim { get; }

    /// <summary>Base θ of the frequencies.</summary>
    public double Theta { get; }

    /// <summary>Creates the embedding for heads of width <paramref name="headDim"/>.</summary>
    public RotaryEmbedding(long headDim, double theta = 10000)
    {
        if (headDim < 2 || headDim % 2 != 0)
            throw new ArgumentException($"Rotary embeddings need an even head width, got {headDim}.", nameof(headDim));
        if (!(theta > 0) || double.IsInfinity(theta))
            throw new ArgumentException($"The rotary base θ must be a positive finite number, got {theta}.", nameof(theta));
        HeadDim = headDim;
        Theta = theta;
    }

    /// <summary>
    /// Cosines and sines <c>[B, 1, T, HeadDim]</c> for <paramref name="positionIds"/> <c>[B, T]</c>, computed in fp32
    /// and cast to <paramref name="dtype"/>; the extra dimension broadcasts over heads.
    /// </summary>
    public (Tensor Cos, Tensor Sin) Compute(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var device = positionIds.device;
        var exponents = arange(0, HeadDim, 2, dtype: ScalarType.Int64, device: device).to_type(ScalarType.Float32) / HeadDim;
        var invFreq = 1.0f / pow(tensor((float)Theta, device: device), exponents);              // (d/2)
        var angles = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * invFreq;             // (B, T, d/2)
        var doubled = cat([angles, angles], dim: -1).unsqueeze(1);                                // (B, 1, T, d)
        var cos = doubled.cos().to_type(dtype).MoveToOuterDisposeScope();
        var sin = doubled.sin().to_type(dtype).MoveToOuterDisposeScope();
        return (cos, sin);
    }

    /// <summary>Rotates <paramref name="x"/> <c>[B, H, T, HeadDim]</c>: <c>x·cos + rotate_half(x)·sin</c>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var first = x[TensorIndex.Ellipsis, TensorIndex.Slice(0, half)];                         // (B, H, T, d/2)
        var second = x[TensorIndex.Ellipsis, TensorIndex.Slice(half)];                            // (B, H, T, d/2)
        var rotated = cat([second.neg(), first], dim: -1);                                        // (B, H, T, d)
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
