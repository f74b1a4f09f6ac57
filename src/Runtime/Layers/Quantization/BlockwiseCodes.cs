using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

/// <summary>
/// Blockwise absmax quantization against a sorted codebook, the rule bitsandbytes applies for NF4 and for its 8-bit
/// blockwise code (PyTorch backend, <c>backends/default/ops.py</c>), in vectorised torch ops:
/// <code>
/// x       = float32(A) flattened, cut into blocks of B values (the last block may be shorter)
/// absmax  = max |x| over the block                                  (stored, float32)
/// s       = clamp(x · (1 / max(absmax, 1e-38)), −1, 1)              (float32: one reciprocal per block, then a product)
/// code(s) = number of midpoints (c[k] + c[k+1]) / 2 lying below s   (nearest code; a value exactly on a midpoint
///                                                                     takes the lower code)
/// value   = c[code] · absmax                                        (one float32 product)
/// </code>
/// </summary>
/// <remarks>
/// A zero block stores absmax 0 and the code of 0.0. The shorter last block is scaled like every other block
/// (bitsandbytes' PyTorch backend divides the tail instead, its CUDA kernel multiplies by the reciprocal as here;
/// the two can differ by one float32 ulp in the scaled value). bitsandbytes' CUDA kernel compares against NF4
/// thresholds computed in double, four of which lie one float32 ulp from these midpoints, so a value landing exactly
/// on one of those four numbers can get the neighbouring code there; all three agree everywhere else.
/// </remarks>
internal static class BlockwiseCodes
{
    const double SmallestScale = 1e-38;   // bitsandbytes' clamp: a zero block scales to 0, not NaN

    /// <summary>The decision thresholds of a sorted codebook: the float32 midpoints of neighbouring values.</summary>
    public static Tensor Midpoints(Tensor codebook)
    {
        using var scope = NewDisposeScope();
        var count = codebook.shape[0];
        var midpoints = (codebook.narrow(0, 0, count - 1) + codebook.narrow(0, 1, count - 1)) / 2;
        return midpoints.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Quantizes <paramref name="flat"/> (1-D, any float dtype) in blocks of <paramref name="blockSize"/>: codes
    /// <c>[blocks · blockSize]</c> as uint8 (the padding after the last value holds the code of 0) and absmax
    /// <c>[blocks]</c> as float32.
    /// </summary>
    public static (Tensor Codes, Tensor Absmax) Quantize(Tensor flat, Tensor codebook, long blockSize)
    {
        using var scope = NewDisposeScope();
        var count = flat.shape[0];
        var blocks = (count + blockSize - 1) / blockSize;
        var x = nn.functional.pad(flat.to_type(ScalarType.Float32), [0, blocks * blockSize - count])
            .view(blocks, blockSize);                                                         // (blocks, B)
        var absmax = x.abs().amax([1]);                                                       // (blocks)
        var reciprocal = absmax.clamp_min(SmallestScale).reciprocal();                        // (blocks)
        var scaled = x.mul(reciprocal.unsqueeze(1)).clamp_(-1, 1).view(-1);                  // (blocks·B)
        var codes = scaled.bucketize(Midpoints(codebook), right: false).to_type(ScalarType.Byte);
        return (codes.MoveToOuterDisposeScope(), absmax.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <c>codebook[code] · absmax</c> in float32 for <paramref name="values"/> (codes already looked up, at most
    /// <c>blocks · blockSize</c> of them), returning the first <paramref name="count"/> values.
    /// </summary>
    public static Tensor Scale(Tensor values, Tensor absmax, long blockSize, long count)
    {
        using var scope = NewDisposeScope();
        var blocks = absmax.shape[0];
        var missing = blocks * blockSize - values.shape[0];
        var padded = missing == 0 ? values : nn.functional.pad(values, [0, missing]);          // (blocks·B)
        var scaled = padded.view(blocks, blockSize).mul(absmax.unsqueeze(1)).view(-1).narrow(0, 0, count);
        return scaled.MoveToOuterDisposeScope();
    }

    /// <summary>Dequantizes 8-bit <paramref name="codes"/> (uint8, one per value) against <paramref name="codebook"/>.</summary>
    public static Tensor Dequantize8Bit(Tensor codes, Tensor absmax, Tensor codebook, long blockSize)
    {
        using var scope = NewDisposeScope();
        var values = codebook.index_select(0, codes.to_type(ScalarType.Int32));
        return Scale(values, absmax, blockSize, codes.shape[0]).MoveToOuterDisposeScope();
    }
}
