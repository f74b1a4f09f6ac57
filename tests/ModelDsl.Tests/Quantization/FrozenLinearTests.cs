using System;
using System.Collections.Generic;
using ModelDsl.Layers.Quantization;
using ModelDsl.Tests.Families;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Quantization;

public sealed class FrozenLinearTests
{
    public static TheoryData<string> Schemes() => ["nf4", "nf4 double-quantized", "int8"];

    static QuantizedWeight Quantize(string scheme, Tensor weight) => scheme switch
    {
        "nf4" => Nf4Weight.Quantize(weight),
        "nf4 double-quantized" => Nf4Weight.Quantize(weight, doubleQuantize: true),
        "int8" => Int8Weight.Quantize(weight),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Output_and_gradients_equal_a_plain_linear_layer_with_the_dequantized_weight(string scheme)
    {
        manual_seed(21);
        using var weight = randn(48, 96) * 0.05;                        // [out, in]
        using var quantized = Quantize(scheme, weight);
        using var dequantized = quantized.Dequantize();
        using var x = randn(3, 7, 96).requires_grad_(true);
        using var bias = (randn(48) * 0.1).requires_grad_(true);
        using var upstream = randn(3, 7, 48);

        using var y = FrozenLinear.Forward(x, quantized, bias);
        y.backward([upstream]);
        using var frozenInputGrad = x.grad!.clone();
        using var frozenBiasGrad = bias.grad!.clone();
        x.grad = null;
        bias.grad = null;
        using var expected = nn.functional.linear(x, dequantized, bias);
        expected.backward([upstream]);

        Assert.True(TensorCompare.Identical(expected, y));
        Assert.True(TensorCompare.MaxAbsDifference(x.grad!, frozenInputGrad) <= 1e-6);
        Assert.True(TensorCompare.MaxAbsDifference(bias.grad!, frozenBiasGrad) <= 1e-6);
    }

    [Fact]
    public void Backward_dequantizes_again_instead_of_keeping_the_dequantized_weight()
    {
        manual_seed(22);
        using var weight = randn(16, 32);
        using var quantized = Nf4Weight.Quantize(weight);
        using var x = randn(4, 32).requires_grad_(true);
        using var y = FrozenLinear.Forward(x, quantized);
        // Between forward and backward, overwrite the stored codes: a graph holding the dequantized weight would not see it.
        using (no_grad()) quantized.Packed.fill_(0xFF);                 // every value now decodes to +absmax
        y.sum().backward();
        using var changed = quantized.Dequantize();
        using var expected = ones(4, 16).matmul(changed);
        Assert.True(TensorCompare.MaxAbsDifference(expected, x.grad!) <= 1e-6);
    }

    [Fact]
    public void The_compute_dtype_is_the_inputs_and_nothing_is_recorded_without_gradients()
    {
        manual_seed(23);
        using var weight = randn(8, 16);
        using var quantized = Nf4Weight.Quantize(weight);
        using var bf16Input = randn(2, 16).to_type(ScalarType.BFloat16);
        using var bf16Output = FrozenLinear.Forward(bf16Input, quantized);
        Assert.Equal(ScalarType.BFloat16, bf16Output.dtype);
        using var x = randn(2, 16).requires_grad_(true);
        using (no_grad())
        {
            using var y = FrozenLinear.Forward(x, quantized);
            Assert.False(y.requires_grad);
        }
    }

    [Fact]
    public void Mismatched_shapes_are_refused_with_the_expected_width()
    {
        using var quantized = Nf4Weight.Quantize(ones(8, 16));
        using var x = ones(2, 15);
        Assert.Contains("input width 16", Assert.Throws<ArgumentException>(() => FrozenLinear.Forward(x, quantized)).Message);
        using var bias = ones(7);
        using var good = ones(2, 16);
        Assert.Contains("[8]", Assert.Throws<ArgumentException>(() => FrozenLinear.Forward(good, quantized, bias)).Message);
        using var cube = Nf4Weight.Quantize(ones(2, 4, 8));
        Assert.Contains("2-D", Assert.Throws<ArgumentException>(() => FrozenLinear.Forward(ones(2, 8), cube)).Message);
    }
}
