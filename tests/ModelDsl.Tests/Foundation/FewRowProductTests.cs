using ModelDsl.Layers;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Foundation;

/// <summary>
/// A linear layer with a large weight over a few rows without gradients (an output head while decoding) is computed as
/// (W · xᵀ)ᵀ: the same values as x · Wᵀ + b, checked against float64, in the input's shape; with gradients, or with many
/// rows, the layer takes the usual product.
/// </summary>
public sealed class FewRowProductTests
{
    // 8,192 × 160 float32 is 5 MiB, past the size from which the transposed product is taken.
    const long Out = 8192, In = 160;

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void A_large_layer_over_a_few_rows_gives_the_float64_product(int rows)
    {
        manual_seed(5);
        using var layer = new Linear(In, Out);
        using var input = randn(rows, 1, In);

        using var expected = input.to(float64).matmul(layer.weight.to(float64).t()) + layer.bias!.to(float64);
        Tensor actual;
        using (no_grad())
        {
            Assert.True(FewRowProduct.Applies(input, layer.weight));
            actual = layer.forward(input);
        }

        Assert.Equal(new long[] { rows, 1, Out }, actual.shape);
        Assert.True(actual.is_contiguous());
        Assert.True(actual.to(float64).allclose(expected, rtol: 0, atol: 1e-5), $"max difference {(actual.to(float64) - expected).abs().max().item<double>()}");
        actual.Dispose();
    }

    [Fact]
    public void With_gradients_many_rows_or_a_small_weight_the_usual_product_is_taken()
    {
        using var large = randn(Out, In);
        using var small = randn(64, In);
        using var few = randn(8, In);
        using var many = randn(17, In);

        Assert.False(FewRowProduct.Applies(few, large));   // gradients on: training keeps its product and its numerics
        using (no_grad())
        {
            Assert.True(FewRowProduct.Applies(few, large));
            Assert.False(FewRowProduct.Applies(many, large));
            Assert.False(FewRowProduct.Applies(few, small));
        }
    }
}
