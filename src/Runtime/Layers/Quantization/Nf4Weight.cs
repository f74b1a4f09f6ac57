using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

/// <summary>
/// A weight quantized to NF4 the way bitsandbytes does it (<c>quantize_4bit(A, blocksize, compress_statistics,
/// quant_type="nf4")</c>, as <c>Linear4bit</c>/<c>Params4bit</c> use it for QLoRA), with the same storage layout:
/// </summary>
/// <remarks>
/// <code>
/// weight (any shape, n values, row-major) → blocks of BlockSize consecutive values, the last one possibly shorter
/// Absmax   float32 [⌈n/B⌉]        max |w| per block                   (uint8 codes when double-quantized)
/// code     4 bits per value       nearest NF4 value to w / absmax    (<see cref="BlockwiseCodes"/> gives the rule)
/// Packed   uint8 [⌈n/2⌉, 1]       byte k = code[2k] « 4 | code[2k+1]  (first value in the high nibble; an odd n is
///                                                                    padded with the code of 0.0)
/// QuantMap float32 [16]           <see cref="Nf4Codebook"/>
/// w'       = QuantMap[code] · absmax   in float32, then rounded once to the requested dtype
/// </code>
/// With double quantization (<see cref="Nested"/>) the absmax values are stored as 8-bit codes and decoded first.
/// Sizes that are not a multiple of the block size are handled as bitsandbytes handles them (a shorter last block
/// with its own absmax) rather than refused. A 4-bit base costs 0.5 byte per value plus 4 bytes per block
/// (1 byte per block, plus 4 per 256 blocks, when double-quantized): about 0.14× (0.13×) of float32 at B = 64.
/// </remarks>
public sealed partial class Nf4Weight : QuantizedWeight
{
    /// <summary>bitsandbytes' default block size.</summary>
    public const int DefaultBlockSize = 64;

    /// <summary>The block sizes bitsandbytes accepts for 4-bit quantization.</summary>
    public static IReadOnlyList<int> BlockSizes => ModelDsl.Shared.Quantization.QuantizationArguments.BlockSizes;

    readonly Tensor _byteValues;   // float32 [256, 2]: the two values a packed byte decodes to (derived from QuantMap)

    Nf4Weight(long[] shape, ScalarType dtype, int blockSize, Tensor packed, Tensor absmax, Tensor quantMap, NestedScales? nested)
        : base(shape, dtype)
    {
        BlockSize = blockSize;
        Packed = packed.DetachFromDisposeScope();
        Absmax = absmax.DetachFromDisposeScope();
        QuantMap = quantMap.DetachFromDisposeScope();
        Nested = nested;
        using var scope = NewDisposeScope();
        var bytes = arange(256, dtype: ScalarType.Int64, device: quantMap.device);
        var high = QuantMap.index_select(0, bytes.div(16, rounding_mode: RoundingMode.floor));
        var low = QuantMap.index_select(0, bytes.remainder(16));
        _byteValues = stack([high, low], dim: 1).DetachFromDisposeScope();                      // (256, 2)
    }

    /// <summary>Values per absmax block.</summary>
    public int BlockSize { get; }

    /// <summary>uint8 <c>[⌈n/2⌉, 1]</c>: two 4-bit codes per byte, the first in the high nibble.</summary>
    public Tensor Packed { get; }

    /// <summary>float32 <c>[⌈n/B⌉]</c> absmax per block, or their uint8 codes when <see cref="Nested"/> is set.</summary>
    public Tensor Absmax { get; }

    /// <summary>float32 <c>[16]</c>: the code map (<see cref="Nf4Codebook"/> for weights quantized here).</summary>
    public Tensor QuantMap { get; }

    /// <summary>The double-quantization state, or <see langword="null"/> when the absmax values are stored as float32.</summary>
    public NestedScales? Nested { get; }

    /// <summary>Number of absmax blocks.</summary>
    public long Blocks => (Count + BlockSize - 1) / BlockSize;

    /// <inheritdoc/>
    public override Device Device => Packed.device;

    /// <inheritdoc/>
    protected override IEnumerable<Tensor> StoredTensors =>
        Nested is null ? [Packed, Absmax, QuantMap, _byteValues] : [Packed, Absmax, QuantMap, _byteValues, Nested.Absmax, Nested.QuantMap];

    /// <summary>
    /// Quantizes <paramref name="weight"/> (float32, float16 or bfloat16, any shape) to NF4 in blocks of
    /// <paramref name="blockSize"/>, double-quantizing the absmax values when <paramref name="doubleQuantize"/>
    /// (bitsandbytes' <c>bnb_4bit_use_double_quant</c>). The result lives on the weight's device.
    /// </summary>
    public static Nf4Weight Quantize(Tensor weight, int blockSize = DefaultBlockSize, bool doubleQuantize = false)
    {
        RequireQuantizable(weight, "NF4");
        RequireBlockSize(blockSize);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var count = weight.numel();
        var quantMap = Nf4Codebook.ToTensor(weight.device);
        var (codes, absmax) = BlockwiseCodes.Quantize(weight.detach().reshape(-1), quantMap, blockSize);  // (blocks·B), (blocks)
        var pairs = codes.narrow(0, 0, count + count % 2).view(-1, 2);                                  // (⌈n/2⌉, 2)
        var packed = pairs.select(1, 0).mul(16).add_(pairs.select(1, 1)).unsqueeze(1);                   // (⌈n/2⌉, 1)
        NestedScales? nested = null;
        if (doubleQuantize) (absmax, nested) = NestedScales.Quantize(absmax);
        return new Nf4Weight(weight.shape, weight.dtype, blockSize, packed, absmax, quantMap, nested);
    }

    /// <summary>The absmax of every block as float32 <c>[Blocks]</c>, decoding the nested codes if double-quantized.</summary>
    public Tensor Scales() => Nested is null ? Absmax.alias() : Nested.Decode(Absmax);

    /// <inheritdoc/>
    public override Tensor Dequantize(ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = _byteValues.index_select(0, Packed.view(-1).to_type(ScalarType.Int32)).view(-1);   // (2·⌈n/2⌉)
        var weight = BlockwiseCodes.Scale(values, Scales(), BlockSize, Count);                          // (n) float32
        return weight.view([.. Shape]).to_type(dtype ?? DType).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override QuantizedWeight To(Device device) =>
        new Nf4Weight([.. Shape], DType, BlockSize, Packed.to(device), Absmax.to(device), QuantMap.to(device), Nested?.To(device));

    static void RequireBlockSize(int blockSize)
    {
        if (!BlockSizes.Contains(blockSize))
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize,
                ModelDsl.Shared.Quantization.QuantizationArguments.BlockSizeMessage(blockSize));
    }
}
