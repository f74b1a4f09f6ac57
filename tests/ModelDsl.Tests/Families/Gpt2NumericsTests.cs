using System;
using System.Collections.Generic;
using ModelDsl.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>
/// GPT-2 logits against a plain re-implementation of its equations, written here from raw torch ops on the
/// model's weights (in float64, one head at a time), sharing no code with the model.
/// </summary>
public sealed class Gpt2NumericsTests
{
    [Fact]
    public void Logits_match_an_independent_reimplementation()
    {
        using var model = TinyModels.NewGpt2(seed: 11);
        // Non-trivial norms and biases, so that a dropped bias or a swapped LN parameter shows up, and weights
        // larger than the 0.02 init so that a wrong equation moves the logits well past the tolerance.
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
            {
                if (name.EndsWith("bias") || name.Contains("ln_")) p.add_(randn_like(p) * 0.1);
                else p.mul_(5);
            }
        using var ids = TinyModels.Ids(TinyModels.Gpt2.Vocab, batch: 2, time: 9, seed: 3);

        using var actual = model.Forward(ids);
        using var expected = Reference(model.state_dict(), TinyModels.Gpt2, ids);

        Assert.Equal(new long[] { 2, 9, TinyModels.Gpt2.Vocab }, actual.shape);
        var difference = (actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        Assert.True(difference < 1e-4, $"max |model - reference| = {difference}");
    }

    static Tensor Reference(Dictionary<string, Tensor> weights, Gpt2Config config, Tensor ids)
    {
        Tensor W(string name) => weights[name].to_type(ScalarType.Float64);
        long batch = ids.shape[0], time = ids.shape[1], dim = config.Dim, heads = config.Heads, hd = dim / heads;

        Tensor LayerNorm(Tensor x, string prefix)
        {
            var mean = x.mean([-1], keepdim: true);
            var variance = (x - mean).pow(2).mean([-1], keepdim: true);
            return (x - mean) / (variance + config.NormEps).sqrt() * W(prefix + ".weight") + W(prefix + ".bias");
        }

        Tensor GeluTanh(Tensor x) => 0.5 * x * (1 + (Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x.pow(3))).tanh());

        var x = W("transformer.wte.weight")[ids] + W("transformer.wpe.weight")[arange(time)];   // (B, T, D)
        var future = ones(time, time).triu(1).to_type(ScalarType.Bool);                          // (T, T) true above the diagonal
        for (var layer = 0; layer < config.Layers; layer++)
        {
            var p = $"transformer.h.{layer}";
            var h = LayerNorm(x, p + ".ln_1");
            var qkv = h.matmul(W(p + ".attn.c_attn.weight")) + W(p + ".attn.c_attn.bias");      // (B, T, 3D)
            var headOutputs = new List<Tensor>();
            for (var head = 0; head < heads; head++)
            {
                var q = qkv[.., .., (int)(head * hd)..(int)((head + 1) * hd)];                    // (B, T, hd)
                var k = qkv[.., .., (int)(dim + head * hd)..(int)(dim + (head + 1) * hd)];
                var v = qkv[.., .., (int)(2 * dim + head * hd)..(int)(2 * dim + (head + 1) * hd)];
                var scores = q.matmul(k.transpose(1, 2)) / Math.Sqrt(hd);                          // (B, T, T)
                scores = scores.masked_fill(future, double.NegativeInfinity);
                headOutputs.Add(scores.softmax(-1).matmul(v));                                      // (B, T, hd)
            }
            var attended = cat(headOutputs, -1).matmul(W(p + ".attn.c_proj.weight")) + W(p + ".attn.c_proj.bias");
            x = x + attended;
            var m = GeluTanh(LayerNorm(x, p + ".ln_2").matmul(W(p + ".mlp.c_fc.weight")) + W(p + ".mlp.c_fc.bias"));
            x = x + m.matmul(W(p + ".mlp.c_proj.weight")) + W(p + ".mlp.c_proj.bias");
        }
        x = LayerNorm(x, "transformer.ln_f");
        return x.matmul(W("transformer.wte.weight").t());                                           // (B, T, V) tied head
    }
}
