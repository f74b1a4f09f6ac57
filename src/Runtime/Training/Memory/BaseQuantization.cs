using System;
using System.Linq;
using ModelDsl.Layers.Quantization;

namespace ModelDsl.Training;

/// <summary>
/// How the frozen linear layers of a setup's blocks are stored (QLoRA's quantized base), for
/// <see cref="MemoryEstimator"/>: NF4 (<see cref="Nf4Weight"/>) or row-wise int8 (<see cref="Int8Weight"/>).
/// </summary>
/// <param name="Bits">4 for NF4, 8 for int8.</param>
/// <param name="BlockSize">NF4 values per absmax scale (bitsandbytes' block sizes; 64 by default); unused by int8.</param>
/// <param name="DoubleQuantize">NF4 only: the absmax scales are themselves stored as 8-bit codes.</param>
public sealed record BaseQuantization(int Bits, int BlockSize = Nf4Weight.DefaultBlockSize, bool DoubleQuantize = false)
{
    /// <summary>NF4 in blocks of 64 with float32 scales.</summary>
    public static BaseQuantization Nf4 { get; } = new(4);

    /// <summary>Row-wise int8.</summary>
    public static BaseQuantization Int8 { get; } = new(8);

    /// <summary>Throws <see cref="ArgumentException"/> naming what is not a quantization the runtime stores.</summary>
    public void Validate()
    {
        if (Bits is not (4 or 8))
            throw new ArgumentException($"BaseQuantization.Bits = {Bits}: the runtime stores frozen weights in 4 bits (NF4) or 8 bits (int8).", nameof(Bits));
        if (Bits == 4 && !Nf4Weight.BlockSizes.Contains(BlockSize))
            throw new ArgumentException(
                $"BaseQuantization.BlockSize = {BlockSize}: NF4 blocks hold one of {string.Join(", ", Nf4Weight.BlockSizes)} values (64 is the default).", nameof(BlockSize));
        if (Bits == 8 && DoubleQuantize)
            throw new ArgumentException("BaseQuantization.DoubleQuantize applies to NF4 scales; int8 keeps one float32 scale per row.", nameof(DoubleQuantize));
    }
}
