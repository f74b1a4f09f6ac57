using System;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

/// <summary>
/// The second level of NF4 double quantization (bitsandbytes' <c>compress_statistics</c>, QLoRA's "double
/// quantization"): the per-block absmax scales, less their mean, are themselves quantized with bitsandbytes'
/// blockwise 8-bit code (<see cref="DynamicCodebook"/>) in blocks of 256. The 8-bit codes take the place of the
/// absmax values in <see cref="Nf4Weight.Absmax"/>; this holds what decodes them:
/// <c>absmax[i] = QuantMap[code[i]] · Absmax[i / BlockSize] + Offset</c> (float32).
/// </summary>
public sealed class NestedScales : IDisposable
{
    /// <summary>bitsandbytes' block size for the nested quantization (<c>quantize_blockwise(..., blocksize=256)</c>).</summary>
    public const int DefaultBlockSize = 256;

    /// <summary>Wraps the state; the tensors become this object's (and leave any dispose scope).</summary>
    public NestedScales(Tensor absmax, Tensor quantMap, float offset, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(absmax);
        ArgumentNullException.ThrowIfNull(quantMap);
        if (blockSize < 1) throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "The nested block size must be positive.");
        Absmax = absmax.DetachFromDisposeScope();
        QuantMap = quantMap.DetachFromDisposeScope();
        Offset = offset;
        BlockSize = blockSize;
    }

    /// <summary>float32 <c>[⌈blocks / BlockSize⌉]</c>: the absmax of each block of centred scales (<c>nested_absmax</c>).</summary>
    public Tensor Absmax { get; }

    /// <summary>float32 <c>[256]</c>: the 8-bit code (<c>nested_quant_map</c>).</summary>
    public Tensor QuantMap { get; }

    /// <summary>The mean of the first-level scales, subtracted before quantizing them (<c>nested_offset</c>).</summary>
    public float Offset { get; }

    /// <summary>Scales per nested block (<c>nested_blocksize</c>).</summary>
    public int BlockSize { get; }

    /// <summary>
    /// Quantizes the float32 <paramref name="scales"/>: returns the uint8 codes <c>[scales]</c> and the nested state.
    /// The offset is the mean of the scales, accumulated in float64 and rounded once to float32 (bitsandbytes takes
    /// a float32 <c>mean()</c>, whose last bit depends on the device's reduction order).
    /// </summary>
    internal static (Tensor Codes, NestedScales State) Quantize(Tensor scales, int blockSize = DefaultBlockSize)
    {
        using var scope = NewDisposeScope();
        var offset = scales.to_type(ScalarType.Float64).mean().to_type(ScalarType.Float32).item<float>();
        var centred = scales.sub(offset);                                                       // (blocks)
        var map = DynamicCodebook.ToTensor(scales.device);
        var (codes, absmax) = BlockwiseCodes.Quantize(centred, map, blockSize);
        var state = new NestedScales(absmax, map, offset, blockSize);
        return (codes.narrow(0, 0, scales.shape[0]).MoveToOuterDisposeScope(), state);
    }

    /// <summary>The first-level scales decoded from <paramref name="codes"/>, float32.</summary>
    public Tensor Decode(Tensor codes)
    {
        using var scope = NewDisposeScope();
        var scales = BlockwiseCodes.Dequantize8Bit(codes, Absmax, QuantMap, BlockSize).add_(Offset);
        return scales.MoveToOuterDisposeScope();
    }

    /// <summary>A copy on <paramref name="device"/>.</summary>
    public NestedScales To(Device device) => new(Absmax.to(device), QuantMap.to(device), Offset, BlockSize);

    /// <inheritdoc/>
    public void Dispose()
    {
        Absmax.Dispose();
        QuantMap.Dispose();
    }
}
