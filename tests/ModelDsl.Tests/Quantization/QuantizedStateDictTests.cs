using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ModelDsl.Layers.Quantization;
using ModelDsl.Tests.Families;
using Xunit;
using static ModelDsl.Tests.Quantization.QuantizationTestData;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Quantization;

public sealed class QuantizedStateDictTests
{
    const string Prefix = "model.layers.0.self_attn.q_proj.";

    static Dictionary<string, Tensor> ToDictionary(QuantizedWeight weight) =>
        weight.ToStateDict(Prefix).ToDictionary(kv => kv.Key, kv => kv.Value);

    static string Text(Tensor packed) => Encoding.UTF8.GetString(ToBytes(packed));

    [Fact]
    public void Nf4_keys_and_packed_state_are_named_and_written_as_bitsandbytes_saves_them()
    {
        using var weight = ToTensor(Normalish(8 * 100, 2), 8, 100).to_type(ScalarType.BFloat16);
        using var quantized = Nf4Weight.Quantize(weight, 64, doubleQuantize: true);
        var entries = quantized.ToStateDict(Prefix);
        // Linear4bit._save_to_state_dict: weight, then QuantState.as_dict(packed=True) under "weight.".
        Assert.Equal(
        [
            Prefix + "weight", Prefix + "weight.absmax", Prefix + "weight.quant_map", Prefix + "weight.nested_absmax",
            Prefix + "weight.nested_quant_map", Prefix + "weight.quant_state.bitsandbytes__nf4",
        ], entries.Select(e => e.Key));
        var tensors = entries.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal([400L, 1L], tensors[Prefix + "weight"].shape);
        Assert.Equal(ScalarType.Byte, tensors[Prefix + "weight.absmax"].dtype);          // 8-bit codes when nested
        Assert.Equal([13L], tensors[Prefix + "weight.absmax"].shape);                    // ⌈800 / 64⌉ blocks
        Assert.Equal([1L], tensors[Prefix + "weight.nested_absmax"].shape);
        Assert.Equal([256L], tensors[Prefix + "weight.nested_quant_map"].shape);
        var offset = quantized.Nested!.Offset;
        // json.dumps of {"quant_type", "blocksize", "dtype", "shape", "nested_blocksize", "nested_dtype", "nested_offset"}.
        var expected = "{\"quant_type\": \"nf4\", \"blocksize\": 64, \"dtype\": \"bfloat16\", \"shape\": [8, 100], " +
                       "\"nested_blocksize\": 256, \"nested_dtype\": \"float32\", \"nested_offset\": " +
                       ((double)offset).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "}";
        Assert.Equal(expected, Text(tensors[Prefix + Nf4Weight.PackedStateKey]));
        foreach (var tensor in tensors.Values) tensor.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Nf4_round_trips_through_its_state_dict(bool nested)
    {
        using var weight = ToTensor(Normalish(7 * 45, 3), 7, 45);
        using var quantized = Nf4Weight.Quantize(weight, 32, nested);
        var tensors = ToDictionary(quantized);
        if (!nested) Assert.Equal("{\"quant_type\": \"nf4\", \"blocksize\": 32, \"dtype\": \"float32\", \"shape\": [7, 45]}",
            Text(tensors[Prefix + Nf4Weight.PackedStateKey]));
        using var loaded = Nf4Weight.FromStateDict(tensors, Prefix);
        foreach (var tensor in tensors.Values) tensor.Dispose();          // the loaded weight keeps its own handles
        using var expected = quantized.Dequantize();
        using var actual = loaded.Dequantize();
        Assert.True(TensorCompare.Identical(expected, actual));
        Assert.Equal(quantized.ByteSize, loaded.ByteSize);
    }

    [Fact]
    public void Int8_keys_are_weight_SCB_and_weight_format_and_round_trip()
    {
        using var weight = ToTensor(Normalish(5 * 12, 4), 5, 12);
        using var quantized = Int8Weight.Quantize(weight);
        var tensors = ToDictionary(quantized);
        Assert.Equal([Prefix + "weight", Prefix + "SCB", Prefix + "weight_format"], quantized.ToStateDict(Prefix).Select(e => e.Key));
        Assert.Equal(0, tensors[Prefix + "weight_format"].item<byte>());
        using var loaded = Int8Weight.FromStateDict(tensors, Prefix, ScalarType.Float32);
        using var expected = quantized.Dequantize();
        using var actual = loaded.Dequantize();
        Assert.True(TensorCompare.Identical(expected, actual));
    }

    [Fact]
    public void What_the_runtime_does_not_implement_is_refused_by_name()
    {
        using var quantized = Nf4Weight.Quantize(ToTensor(Normalish(64, 5), 2, 32));
        var tensors = ToDictionary(quantized);

        var fp4 = new Dictionary<string, Tensor>(tensors);
        fp4.Remove(Prefix + Nf4Weight.PackedStateKey);
        fp4[Prefix + "weight.quant_state.bitsandbytes__fp4"] = tensors[Prefix + Nf4Weight.PackedStateKey];
        Assert.Contains("FP4", Assert.Throws<InvalidDataException>(() => Nf4Weight.FromStateDict(fp4, Prefix)).Message);

        var unknownField = new Dictionary<string, Tensor>(tensors)
        {
            [Prefix + Nf4Weight.PackedStateKey] = Packed("{\"quant_type\": \"nf4\", \"blocksize\": 64, \"dtype\": \"float32\", \"shape\": [2, 32], \"packing_format_for_cpu\": true}"),
        };
        Assert.Contains("packing_format_for_cpu", Assert.Throws<InvalidDataException>(() => Nf4Weight.FromStateDict(unknownField, Prefix)).Message);

        var wrongShape = new Dictionary<string, Tensor>(tensors)
        {
            [Prefix + Nf4Weight.PackedStateKey] = Packed("{\"quant_type\": \"nf4\", \"blocksize\": 64, \"dtype\": \"float32\", \"shape\": [4, 32]}"),
        };
        Assert.Contains("needs 64", Assert.Throws<InvalidDataException>(() => Nf4Weight.FromStateDict(wrongShape, Prefix)).Message);

        var missing = new Dictionary<string, Tensor>(tensors);
        missing.Remove(Prefix + "weight.quant_map");
        Assert.Contains("weight.quant_map' is missing", Assert.Throws<InvalidDataException>(() => Nf4Weight.FromStateDict(missing, Prefix)).Message);

        using var int8 = Int8Weight.Quantize(ToTensor(Normalish(8, 6), 2, 4));
        var col32 = ToDictionary(int8);
        col32[Prefix + "weight_format"] = tensor((byte)1);
        Assert.Contains("row-major", Assert.Throws<InvalidDataException>(() => Int8Weight.FromStateDict(col32, Prefix)).Message);
    }

    static Tensor Packed(string json) => tensor(Encoding.UTF8.GetBytes(json), dtype: ScalarType.Byte);

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(2.0, "2.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(-0.012345678918063641, "-0.012345678918063641")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(123456.75, "123456.75")]
    public void Floats_are_written_as_python_repr_writes_them(double value, string python)
    {
        Assert.Equal(python, PythonFloat.Repr(value));
    }
}
