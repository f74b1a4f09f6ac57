using System;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Quantization;

/// <summary>Fixed weights for the quantization tests, as float arrays (the reference's input) and tensors.</summary>
internal static class QuantizationTestData
{
    /// <summary>A deterministic pseudo-normal weight (sum of uniforms), values in about ±0.1.</summary>
    public static float[] Normalish(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => (float)((random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 0.06))
            .ToArray();
    }

    /// <summary>The named edge cases: (name, rows, cols, values).</summary>
    public static (string Name, int Rows, int Cols, float[] Values)[] EdgeCases(int blockSize)
    {
        var oneHuge = Normalish(3 * blockSize, 5);
        oneHuge[blockSize + 7] = 1e4f;                                      // only the second block is dominated
        var negative = Normalish(2 * blockSize, 6).Select(v => -Math.Abs(v) - 1e-3f).ToArray();
        return
        [
            ("normal", 4, 2 * blockSize, Normalish(8 * blockSize, 1)),
            ("zeros", 2, blockSize, new float[2 * blockSize]),
            ("one huge value", 3, blockSize, oneHuge),
            ("negative only", 2, blockSize, negative),
            ("not a multiple of the block (odd count)", 3, 33, Normalish(99, 7)),
            ("shorter than one block", 1, 5, Normalish(5, 8)),
            ("more than 256 blocks (several nested blocks)", 7, 41 * blockSize + 3, Normalish(7 * (41 * blockSize + 3), 9)),
        ];
    }

    public static Tensor ToTensor(float[] values, int rows, int cols) => tensor(values).reshape(rows, cols);

    public static float[] ToFloats(Tensor tensor) => tensor.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    public static byte[] ToBytes(Tensor tensor) => tensor.contiguous().data<byte>().ToArray();

    /// <summary>Indexes of the first values that differ bit for bit (empty when identical).</summary>
    public static int[] BitDifferences(float[] expected, float[] actual) =>
        expected.Length != actual.Length
            ? [-1]
            : Enumerable.Range(0, expected.Length)
                .Where(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                .Take(5).ToArray();
}
