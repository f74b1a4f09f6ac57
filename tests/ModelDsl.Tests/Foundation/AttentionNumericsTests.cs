using System;
using ModelDsl.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Foundation;

public class AttentionNumericsTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(4, 2)]
    [InlineData(4, 1)]
    public void ScaledDotProductAttentionMatchesHandWrittenCausalAttention(int heads, int kvHeads)
    {
        manual_seed(42);
        const int dim = 32, batch = 2, time = 7;
        using var layer = new CausalSelfAttention(dim, heads, kvHeads);
        using var x = randn(batch, time, dim);

        using var actual = layer.call(x);
        using var expected = HandWrittenAttention(layer, x, heads, kvHeads);

        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5),
            $"max difference {(actual - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void FutureTokensDoNotChangeEarlierOutputs()
    {
        manual_seed(3);
        using var layer = new CausalSelfAttention(16, 2);
        using var x = randn(1, 6, 16);
        using var changed = x.clone();
        changed[0, 5] = randn(16);

        using var a = layer.call(x);
        using var b = layer.call(changed);
        Assert.True(a[0, ..5].allclose(b[0, ..5], rtol: 0, atol: 1e-6));
        Assert.False(a[0, 5].allclose(b[0, 5], rtol: 0, atol: 1e-6));
    }

    // Plain loops over heads, an explicit mask and softmax: no shared code with the layer.
    static Tensor HandWrittenAttention(CausalSelfAttention layer, Tensor x, int heads, int kvHeads)
    {
        long batch = x.shape[0], time = x.shape[1], dim = x.shape[2], headDim = dim / heads;
        var qkv = x.matmul(layer.c_attn.weight.t()) + layer.c_attn.bias!;           // (B, T, (H + 2KV)·hd)
        var output = zeros(batch, time, dim);
        var mask = ones(time, time).triu(1).to_type(ScalarType.Bool);               // true above the diagonal
        for (int h = 0; h < heads; h++)
        {
            int kvHead = h / (heads / kvHeads);
            var q = qkv[.., .., (int)(h * headDim)..(int)((h + 1) * headDim)];
            long kStart = heads * headDim + kvHead * headDim;
            long vStart = (heads + kvHeads) * headDim + kvHead * headDim;
            var k = qkv[.., .., (int)kStart..(int)(kStart + headDim)];
            var v = qkv[.., .., (int)vStart..(int)(vStart + headDim)];
            var scores = q.matmul(k.transpose(1, 2)) / Math.Sqrt(headDim);         // (B, T, T)
            scores = scores.masked_fill(mask, double.NegativeInfinity);
            var weights = scores.softmax(-1);
            output[.., .., (int)(h * headDim)..(int)((h + 1) * headDim)] = weights.matmul(v);
        }
        return output.matmul(layer.c_proj.weight.t()) + layer.c_proj.bias!;
    }
}
