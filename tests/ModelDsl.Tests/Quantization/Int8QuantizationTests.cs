using System;
using System.Linq;
using ModelDsl.Layers.Quantization;
using Xunit;
using static ModelDsl.Tests.Quantization.QuantizationTestData;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Quantization;

public sealed class Int8QuantizationTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _, _, _) in EdgeCases(64)) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Codes_scales_and_dequantized_values_equal_the_reference_bit_for_bit(string name)
    {
        var (_, rows, cols, values) = EdgeCases(64).Single(c => c.Name == name);
        var (cb, scb) = ReferenceBitsAndBytes.QuantizeInt8(values, rows, cols);
        using var weight = ToTensor(values, rows, cols);
        using var quantized = Int8Weight.Quantize(weight);

        Assert.Equal([rows, (long)cols], quantized.CB.shape);
        Assert.Equal(ScalarType.Int8, quantized.CB.dtype);
        Assert.Equal(cb, quantized.CB.contiguous().data<sbyte>().ToArray());
        Assert.Empty(BitDifferences(scb, ToFloats(quantized.SCB)));
        using var restored = quantized.Dequantize();
        Assert.Empty(BitDifferences(ReferenceBitsAndBytes.DequantizeInt8(cb, scb, cols), ToFloats(restored)));
    }

    [Fact]
    public void Each_row_uses_the_full_int8_range_and_a_zero_row_stays_zero()
    {
        var values = Normalish(3 * 40, 9);
        Array.Clear(values, 40, 40);                                       // row 1 is all zeros
        using var quantized = Int8Weight.Quantize(ToTensor(values, 3, 40));
        var codes = quantized.CB.contiguous().data<sbyte>().ToArray();
        Assert.Equal(127, codes.Take(40).Max(c => Math.Abs((int)c)));
        Assert.All(codes.Skip(40).Take(40), c => Assert.Equal(0, c));
        Assert.Equal(0f, ToFloats(quantized.SCB)[1]);
        using var restored = quantized.Dequantize();
        Assert.All(ToFloats(restored).Skip(40).Take(40), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_bfloat16_weight_dequantizes_to_bfloat16()
    {
        var values = Normalish(6 * 16, 10);
        using var weight = ToTensor(values, 6, 16).to_type(ScalarType.BFloat16);
        var (cb, scb) = ReferenceBitsAndBytes.QuantizeInt8(ToFloats(weight), 6, 16);
        var expected = ReferenceBitsAndBytes.DequantizeInt8(cb, scb, 16).Select(ReferenceBitsAndBytes.ToBFloat16).ToArray();
        using var quantized = Int8Weight.Quantize(weight);
        using var restored = quantized.Dequantize();
        Assert.Equal(ScalarType.BFloat16, restored.dtype);
        Assert.Empty(BitDifferences(expected, ToFloats(restored)));
    }

    [Fact]
    public void Weights_that_are_not_2_D_or_exceed_float16_are_refused_with_the_reason()
    {
        using var vector = ones(8);
        Assert.Contains("2-D", Assert.Throws<ArgumentException>(() => Int8Weight.Quantize(vector)).Message);
        using var huge = tensor(new[] { 1f, 1e5f, 2f, 3f }).reshape(2, 2);
        Assert.Contains("65504", Assert.Throws<ArgumentException>(() => Int8Weight.Quantize(huge)).Message);
    }
}
