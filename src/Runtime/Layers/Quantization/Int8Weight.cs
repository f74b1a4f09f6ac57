using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

/// <summary>
/// A 2-D weight quantized row-wise to int8 the way bitsandbytes stores <c>Linear8bitLt</c> weights
/// (<c>Int8Params._quantize</c> → <c>int8_vectorwise_quant</c>, PyTorch backend), used here weight-only:
/// </summary>
/// <remarks>
/// <code>
/// w16 = float16(W)                                 (bitsandbytes quantizes the fp16 copy of the weight)
/// SCB = max |w16| per row                          float32 [out]   (the row's absmax)
/// CB  = round_half_even(w16 · ((1 / SCB) · 127))   int8 [out, in]  (PyTorch evaluates 127 / SCB as reciprocal × 127)
/// W'  = (CB · SCB) · float32(1 / 127)              float32, then rounded once to the requested dtype
/// </code>
/// A zero row stores SCB 0 and zero codes. bitsandbytes' CUDA kernel computes the scale with a fast approximate
/// division, so a value near a rounding boundary can get the neighbouring code there. Only the storage and the
/// dequantization follow bitsandbytes: its <c>Linear8bitLt</c> forward also quantizes the activations (LLM.int8()),
/// while <see cref="FrozenLinear"/> multiplies them in floating point with the dequantized weight.
/// </remarks>
public sealed partial class Int8Weight : QuantizedWeight
{
    const float InverseOf127 = 7.874015718698502e-3f;   // bitsandbytes' constant, rounded to float32 as PyTorch does

    Int8Weight(long[] shape, ScalarType dtype, Tensor cb, Tensor scb) : base(shape, dtype)
    {
        CB = cb.DetachFromDisposeScope();
        SCB = scb.DetachFromDisposeScope();
    }

    /// <summary>int8 <c>[out, in]</c>: the codes (stored as the module's <c>weight</c>).</summary>
    public Tensor CB { get; }

    /// <summary>float32 <c>[out]</c>: each row's absmax (stored as the module's <c>SCB</c>).</summary>
    public Tensor SCB { get; }

    /// <inheritdoc/>
    public override Device Device => CB.device;

    /// <inheritdoc/>
    protected override IEnumerable<Tensor> StoredTensors => [CB, SCB];

    /// <summary>Quantizes the 2-D <paramref name="weight"/> (<c>[out, in]</c>) row-wise to int8.</summary>
    public static Int8Weight Quantize(Tensor weight)
    {
        RequireQuantizable(weight, "Int8");
        if (weight.dim() != 2)
            throw new ArgumentException(
                $"Int8 quantization is row-wise and takes a 2-D [out, in] weight; this one has shape [{string.Join(", ", weight.shape)}].",
                nameof(weight));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var half = weight.detach().to_type(ScalarType.Float16);
        using (var fits = isfinite(half).all())
            if (!fits.item<bool>())
                throw new ArgumentException(
                    "The weight has values beyond float16's range (±65504); bitsandbytes quantizes the float16 copy of a weight, " +
                    "so this weight cannot be stored as Int8 faithfully.", nameof(weight));
        var absmax = half.abs().amax([1]).to_type(ScalarType.Float32);                     // (out)
        var safe = absmax.masked_fill(absmax.eq(0), 1);                                      // a zero row scales its zeros to 0
        var scale = safe.reciprocal().mul_(127f).unsqueeze(1);                               // (out, 1)
        var codes = half.to_type(ScalarType.Float32).mul_(scale).round_().to_type(ScalarType.Int8);   // (out, in)
        return new Int8Weight(weight.shape, weight.dtype, codes, absmax);
    }

    /// <inheritdoc/>
    public override Tensor Dequantize(ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var weight = CB.to_type(ScalarType.Float32).mul_(SCB.unsqueeze(1)).mul_(InverseOf127);   // (out, in)
        return weight.to_type(dtype ?? DType).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override QuantizedWeight To(Device device) => new Int8Weight([.. Shape], DType, CB.to(device), SCB.to(device));
}
