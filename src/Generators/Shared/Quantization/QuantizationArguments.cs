using System.Collections.Generic;
using System.Linq;
using ModelDsl.Shared.Peft;

namespace ModelDsl.Shared.Quantization;

/// <summary>
/// The bounds of a quantized frozen base (<c>[Quantize]</c>), written once: the analyzer reports each problem on the
/// attribute's argument, the runtime's <c>QuantizationSettings</c> and quantized layers throw with the same message.
/// </summary>
internal static class QuantizationArguments
{
    /// <summary>NF4, bitsandbytes' <c>load_in_4bit</c> with <c>bnb_4bit_quant_type="nf4"</c>.</summary>
    public const int Nf4Bits = 4;

    /// <summary>Row-wise int8 absmax, bitsandbytes' <c>load_in_8bit</c>.</summary>
    public const int Int8Bits = 8;

    /// <summary>The block sizes bitsandbytes accepts for 4-bit quantization: the powers of two from 32 to 4096.</summary>
    public static IReadOnlyList<int> BlockSizes { get; } = [32, 64, 128, 256, 512, 1024, 2048, 4096];

    /// <summary>
    /// Bits 4 or 8; a 4-bit block size bitsandbytes accepts; no 4-bit option on an 8-bit base (bitsandbytes' int8 weights
    /// have one scale per row, neither blocks nor nested scales). <paramref name="blockSizeGiven"/> and
    /// <paramref name="doubleQuantizationGiven"/> say whether those were written (an 8-bit setup refuses them only then).
    /// </summary>
    public static List<ArgumentProblem> Check(int bits, int blockSize, bool blockSizeGiven, bool doubleQuantizationGiven)
    {
        var problems = new List<ArgumentProblem>();
        if (bits != Nf4Bits && bits != Int8Bits)
            problems.Add(new("MDSL176", "Bits",
                $"Bits = {bits}: a quantized base is 4-bit (NF4, as QLoRA) or 8-bit (int8 absmax per row, as bitsandbytes' LLM.int8() weights); use Bits = 4 or Bits = 8."));
        else if (bits == Int8Bits && (blockSizeGiven || doubleQuantizationGiven))
            problems.Add(new("MDSL180", blockSizeGiven ? "BlockSize" : "DoubleQuantization",
                $"{(blockSizeGiven ? "BlockSize" : "DoubleQuantization")} with Bits = 8: an 8-bit base has one absmax scale per row, with neither blocks " +
                "nor nested scales (as bitsandbytes' int8 weights); remove it, or use Bits = 4."));
        if (bits == Nf4Bits && !BlockSizes.Contains(blockSize))
            problems.Add(new("MDSL177", "BlockSize", BlockSizeMessage(blockSize)));
        return problems;
    }

    /// <summary>Why <paramref name="blockSize"/> is not a 4-bit block size.</summary>
    public static string BlockSizeMessage(int blockSize) =>
        $"BlockSize = {blockSize}: a 4-bit block size is a power of two from 32 to 4096, as bitsandbytes accepts " +
        $"({string.Join(", ", BlockSizes)}); 64 is the default.";

    /// <summary>
    /// A 4-bit block must lie within one row of the <c>[out, in]</c> weight, so that every absmax scales values of one
    /// output: the block size must divide the layer's input width. <see langword="null"/> when it does.
    /// </summary>
    public static ArgumentProblem? BlockDividesInput(string layer, long inFeatures, int blockSize) =>
        inFeatures % blockSize == 0
            ? null
            : new("MDSL178", "BlockSize",
                $"BlockSize = {blockSize} does not divide the input width {inFeatures} of '{layer}' ({inFeatures} = {inFeatures / blockSize}·{blockSize} + {inFeatures % blockSize}): " +
                $"a block would span two rows of its weight. Use a block size that divides {inFeatures}{Divisor(inFeatures)}.");

    static string Divisor(long inFeatures)
    {
        var fits = BlockSizes.Where(b => inFeatures % b == 0).ToList();
        return fits.Count == 0
            ? $" — none of {string.Join(", ", BlockSizes)} does, so quantize this model with Bits = 8"
            : $", e.g. {(fits.Contains(64) ? 64 : fits[fits.Count - 1])}";
    }
}
