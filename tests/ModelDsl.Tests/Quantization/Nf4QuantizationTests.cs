using System;
using System.Linq;
using ModelDsl.Layers.Quantization;
using Xunit;
using static ModelDsl.Tests.Quantization.QuantizationTestData;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Quantization;

public sealed class Nf4QuantizationTests
{
    public static TheoryData<string, int, bool> Cases()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var blockSize in new[] { 64, 32 })
        foreach (var nested in new[] { false, true })
        foreach (var (name, _, _, _) in EdgeCases(blockSize))
            data.Add(name, blockSize, nested);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Codes_scales_and_dequantized_values_equal_the_reference_bit_for_bit(string name, int blockSize, bool nested)
    {
        var (_, rows, cols, values) = EdgeCases(blockSize).Single(c => c.Name == name);
        var expected = ReferenceBitsAndBytes.QuantizeNf4(values, blockSize, nested);
        using var weight = ToTensor(values, rows, cols);
        using var quantized = Nf4Weight.Quantize(weight, blockSize, nested);

        Assert.Equal([(values.Length + 1) / 2, 1L], quantized.Packed.shape);
        Assert.Equal(expected.Packed, ToBytes(quantized.Packed));
        if (nested)
        {
            Assert.NotNull(quantized.Nested);
            Assert.Equal(expected.NestedCodes, ToBytes(quantized.Absmax));
            Assert.Empty(BitDifferences(expected.NestedAbsmax!, ToFloats(quantized.Nested!.Absmax)));
            Assert.Equal(BitConverter.SingleToInt32Bits(expected.Offset), BitConverter.SingleToInt32Bits(quantized.Nested.Offset));
        }
        else
        {
            Assert.Empty(BitDifferences(expected.Absmax, ToFloats(quantized.Absmax)));
        }
        using var scales = quantized.Scales();
        Assert.Empty(BitDifferences(expected.Scales, ToFloats(scales)));
        using var restored = quantized.Dequantize();
        Assert.Equal(weight.shape, restored.shape);
        Assert.Equal(ScalarType.Float32, restored.dtype);
        var reference = ReferenceBitsAndBytes.DequantizeNf4(expected.Packed, expected.Scales, blockSize, values.Length);
        Assert.Empty(BitDifferences(reference, ToFloats(restored)));
    }

    [Fact]
    public void Codes_are_the_published_codebook_and_the_nearest_value()
    {
        Assert.Equal(ReferenceBitsAndBytes.Nf4, Nf4Codebook.Values);
        // Within a block whose absmax is 1, each value's code is the nearest of the 16 values (ties excluded).
        var values = Enumerable.Range(0, 64).Select(i => -1f + i * (2f / 63)).ToArray();
        using var quantized = Nf4Weight.Quantize(ToTensor(values, 1, 64));
        var packed = ToBytes(quantized.Packed);
        for (var i = 0; i < values.Length; i++)
        {
            var code = i % 2 == 0 ? packed[i / 2] >> 4 : packed[i / 2] & 0xF;
            var nearest = Enumerable.Range(0, 16).OrderBy(k => Math.Abs((double)ReferenceBitsAndBytes.Nf4[k] - values[i])).First();
            Assert.Equal(nearest, code);
        }
    }

    [Fact]
    public void A_value_exactly_on_a_midpoint_takes_the_lower_code_and_the_first_value_sits_in_the_high_nibble()
    {
        var nf4 = ReferenceBitsAndBytes.Nf4;
        var midpoint = (nf4[9] + nf4[10]) / 2f;                    // between codes 9 and 10
        using var quantized = Nf4Weight.Quantize(ToTensor([midpoint, 1f], 1, 2));
        Assert.Equal([(9 << 4) | 15], ToBytes(quantized.Packed));
    }

    [Theory]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    public void Half_precision_weights_dequantize_to_their_own_dtype_rounded_once_from_float32(ScalarType dtype)
    {
        var values = Normalish(200, 3);
        using var weight = ToTensor(values, 4, 50).to_type(dtype);
        var asStored = ToFloats(weight);                                       // what bitsandbytes reads: float(A)
        var expected = ReferenceBitsAndBytes.QuantizeNf4(asStored, 64, doubleQuantize: true);
        var reference = ReferenceBitsAndBytes.DequantizeNf4(expected.Packed, expected.Scales, 64, asStored.Length)
            .Select(v => dtype == ScalarType.BFloat16 ? ReferenceBitsAndBytes.ToBFloat16(v) : (float)(Half)v).ToArray();
        using var quantized = Nf4Weight.Quantize(weight, 64, doubleQuantize: true);
        using var restored = quantized.Dequantize();
        Assert.Equal(dtype, restored.dtype);
        Assert.Equal(expected.Packed, ToBytes(quantized.Packed));
        Assert.Empty(BitDifferences(reference, ToFloats(restored)));
    }

    [Fact]
    public void The_dynamic_8_bit_code_is_bitsandbytes_create_dynamic_map()
    {
        var expected = ReferenceBitsAndBytes.DynamicMap();
        Assert.Equal(256, DynamicCodebook.Values.Count);
        Assert.Empty(BitDifferences(expected, [.. DynamicCodebook.Values]));
        // Its shape as bitsandbytes documents it: sorted, signed, with 0 and 1, the smallest magnitude 10⁻⁶-scaled.
        Assert.Equal(expected.OrderBy(v => v), expected);
        Assert.Contains(0f, expected);
        Assert.Equal(1f, expected[^1]);
        Assert.Equal(-expected[^2], expected[0]);
        Assert.InRange(expected.Where(v => v > 0).Min(), 0.5e-6f, 1e-6f);
    }

    [Fact]
    public void A_four_bit_base_is_at_most_a_fifth_of_its_float32_size()
    {
        manual_seed(4);
        using var weight = randn(3072, 768) * 0.02;                          // GPT-2 small's c_fc, [out, in]
        var float32Bytes = weight.numel() * 4;
        using var plain = Nf4Weight.Quantize(weight);
        using var nested = Nf4Weight.Quantize(weight, doubleQuantize: true);
        Assert.InRange(plain.ByteSize, float32Bytes / 8, float32Bytes / 5);   // ≥ 4 bits per value, ≤ 0.2×
        Assert.InRange(nested.ByteSize, float32Bytes / 8, plain.ByteSize - 1);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(100)]
    [InlineData(8192)]
    public void An_unsupported_block_size_is_refused_with_the_valid_ones(int blockSize)
    {
        using var weight = ones(4, 64);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Nf4Weight.Quantize(weight, blockSize));
        Assert.Contains("32, 64, 128, 256, 512, 1024, 2048, 4096", error.Message);
    }

    [Fact]
    public void Non_finite_and_integer_weights_are_refused_by_name()
    {
        using var withNan = tensor(new[] { 1f, float.NaN, 2f, 3f }).reshape(2, 2);
        Assert.Contains("NaN or infinite", Assert.Throws<ArgumentException>(() => Nf4Weight.Quantize(withNan)).Message);
        using var integers = ones(2, 2, dtype: ScalarType.Int32);
        Assert.Contains("Int32", Assert.Throws<ArgumentException>(() => Nf4Weight.Quantize(integers)).Message);
    }
}
