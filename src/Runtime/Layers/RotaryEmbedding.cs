using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Rotary position embedding in Hugging Face's non-interleaved ("rotate_half") layout: the first and second
/// halves of each head are the two coordinates of each rotated pair, with frequencies
/// <c>inv_freq[i] = 1 / θ^(2i/d)</c> for <c>i &lt; d/2</c>, rescaled as <see cref="Scaling"/> says (Hugging Face's
/// <c>modeling_rope_utils</c>, in fp32 as it computes them). Holds no parameters or buffers (the frequencies are
/// recomputed, as a checkpoint does not store them).
/// </summary>
public sealed class RotaryEmbedding
{
    /// <summary>Width of one attention head (even).</summary>
    public long HeadDim { get; }

    /// <summary>Base θ of the frequencies.</summary>
    public double Theta { get; }

    /// <summary>How the frequencies are rescaled, or <see langword="null"/>.</summary>
    public RotaryScaling? Scaling { get; }

    /// <summary>Creates the embedding for heads of width <paramref name="headDim"/>.</summary>
    public RotaryEmbedding(long headDim, double theta = 10000, RotaryScaling? scaling = null)
    {
        if (headDim < 2 || headDim % 2 != 0)
            throw new ArgumentException($"Rotary embeddings need an even head width, got {headDim}.", nameof(headDim));
        if (!(theta > 0) || double.IsInfinity(theta))
            throw new ArgumentException($"The rotary base θ must be a positive finite number, got {theta}.", nameof(theta));
        HeadDim = headDim;
        Theta = theta;
        Scaling = scaling;
    }

    /// <summary>
    /// Cosines and sines <c>[B, 1, T, HeadDim]</c> for <paramref name="positionIds"/> <c>[B, T]</c>, computed in fp32
    /// and cast to <paramref name="dtype"/>; the extra dimension broadcasts over heads.
    /// </summary>
    public (Tensor Cos, Tensor Sin) Compute(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var invFreq = InverseFrequencies(positionIds.device);                                     // (d/2)
        var angles = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * invFreq;             // (B, T, d/2)
        var doubled = cat([angles, angles], dim: -1).unsqueeze(1);                                // (B, 1, T, d)
        var cos = doubled.cos().to_type(dtype).MoveToOuterDisposeScope();
        var sin = doubled.sin().to_type(dtype).MoveToOuterDisposeScope();
        return (cos, sin);
    }

    /// <summary>The fp32 inverse frequencies <c>[HeadDim / 2]</c>, rescaled as <see cref="Scaling"/> says.</summary>
    public Tensor InverseFrequencies(Device? device = null)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, HeadDim, 2, dtype: ScalarType.Int64, device: device).to_type(ScalarType.Float32) / HeadDim;
        var invFreq = 1.0f / pow(tensor((float)Theta, device: device), exponents);              // (d/2)
        if (Scaling is { Type: RotaryScalingType.Linear } linear) invFreq = invFreq / linear.Factor;
        else if (Scaling is { Type: RotaryScalingType.Llama3 } llama3) invFreq = Llama3(invFreq, llama3);
        return invFreq.MoveToOuterDisposeScope();
    }

    // Llama 3.1's bands, in the order and precision of transformers' _compute_llama3_parameters: wavelengths longer than
    // original/low are divided by the factor, shorter than original/high are kept, and the band between is interpolated.
    static Tensor Llama3(Tensor invFreq, RotaryScaling scaling)
    {
        double factor = scaling.Factor, low = scaling.LowFreqFactor, high = scaling.HighFreqFactor, original = scaling.OriginalContext;
        double lowFreqWavelen = original / low, highFreqWavelen = original / high;
        var wavelen = invFreq.reciprocal() * (2 * Math.PI);                                           // (d/2)
        var scaled = where(wavelen.gt(lowFreqWavelen), invFreq / factor, invFreq);
        var smooth = (wavelen.reciprocal() * original - low) / (high - low);
        var smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
        var medium = wavelen.lt(highFreqWavelen).logical_not().logical_and(wavelen.gt(lowFreqWavelen).logical_not());
        return where(medium, smoothed, scaled);
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
