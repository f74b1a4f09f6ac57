using System;
using System.Linq;
using ModelDsl.Shared;
using ModelDsl.Shared.Quantization;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

/// <summary>
/// How a frozen base is stored quantized (what <c>[Quantize]</c> declares; bitsandbytes' <c>BitsAndBytesConfig</c>):
/// 4-bit NF4 in absmax blocks (<see cref="Nf4Weight"/>) or 8-bit int8 with one absmax per row (<see cref="Int8Weight"/>).
/// </summary>
public sealed record QuantizationSettings
{
    /// <summary>Checks the settings with the same bounds the generator reports at compile time.</summary>
    /// <param name="bits">4 (NF4) or 8 (int8).</param>
    /// <param name="blockSize">4-bit values per absmax block: a power of two from 32 to 4096 (default 64).</param>
    /// <param name="doubleQuantization">4-bit only: store the absmax scales as 8-bit codes (default on, as QLoRA).</param>
    /// <exception cref="ArgumentOutOfRangeException">Bits not 4 or 8, or a block size bitsandbytes does not accept.</exception>
    public QuantizationSettings(int bits = DslDefaults.QuantizeBits, int blockSize = DslDefaults.QuantizeBlockSize,
        bool doubleQuantization = DslDefaults.QuantizeDoubleQuantization)
    {
        // An 8-bit base ignores the 4-bit options here only when they are the defaults; the attribute refuses them written.
        bool fourBitOptions = blockSize != DslDefaults.QuantizeBlockSize || doubleQuantization != DslDefaults.QuantizeDoubleQuantization;
        if (QuantizationArguments.Check(bits, blockSize, fourBitOptions, false).FirstOrDefault() is { } problem)
            throw new ArgumentOutOfRangeException(problem.Argument switch
            {
                "Bits" => nameof(bits),
                "DoubleQuantization" => nameof(doubleQuantization),
                _ => nameof(blockSize),
            }, problem.Message);
        Bits = bits;
        BlockSize = blockSize;
        DoubleQuantization = doubleQuantization;
    }

    /// <summary>4 (NF4) or 8 (int8).</summary>
    public int Bits { get; }

    /// <summary>Values per absmax block (4-bit only).</summary>
    public int BlockSize { get; }

    /// <summary>Whether the 4-bit absmax scales are themselves quantized.</summary>
    public bool DoubleQuantization { get; }

    /// <summary>
    /// Quantizes a linear layer's <c>[out, in]</c> <paramref name="weight"/> named <paramref name="layer"/> (for messages).
    /// </summary>
    /// <exception cref="ArgumentException">The 4-bit block size does not divide the layer's input width.</exception>
    public QuantizedWeight Quantize(Tensor weight, string layer)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 2)
            throw new ArgumentException($"'{layer}': a linear weight is 2-D [out, in]; this one has shape [{string.Join(", ", weight.shape)}].", nameof(weight));
        if (Bits == QuantizationArguments.Int8Bits) return Int8Weight.Quantize(weight);
        if (QuantizationArguments.BlockDividesInput(layer, weight.shape[1], BlockSize) is { } problem)
            throw new ArgumentException(problem.Message, nameof(weight));
        return Nf4Weight.Quantize(weight, BlockSize, DoubleQuantization);
    }
}
