using System;
using System.Collections.Generic;
using ModelDsl.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>
/// Llama logits against a plain re-implementation written here from raw torch ops (float64, one head at a time,
/// each rotary pair rotated explicitly), covering grouped-query attention and positions well past 0.
/// </summary>
public sealed class LlamaNumericsTests
{
    [Theory]
    [InlineData(2, false)]   // GQA: two query heads per key/value head
    [InlineData(4, false)]   // plain multi-head attention
    [InlineData(1, true)]    // multi-query attention with a tied head
    public void Logits_match_an_independent_reimplementation(int kvHeads, bool tied)
    {
        var config = TinyModels.Llama with { KvHeads = kvHeads, TieEmbeddings = tied };
        using var model = TinyModels.NewLlama(seed: 5, config);
        // Uneven norm scales, and weights larger than the 0.02 init so that a wrong equation moves the logits
        // well past the tolerance.
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
            {
                if (name.Contains("norm")) p.add_(randn_like(p) * 0.1);
                else p.mul_(5);
            }
        using var ids = TinyModels.Ids(config.Vocab, batch: 2, time: 12, seed: 8);

        using var actual = model.Forward(ids);
        using var expected = Reference(model.state_dict(), config, ids);

        Assert.Equal(new long[] { 2, 12, config.Vocab }, actual.shape);
        // Every position is compared, so rotation at positions 1 … 11 is checked, not only position 0.
        var difference = (actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        Assert.True(difference < 1e-4, $"max |model - reference| = {difference}");
    }

    static Tensor Reference(Dictionary<string, Tensor> weights, LlamaConfig config, Tensor ids)
    {
        Tensor W(string name) => weights[name].to_type(ScalarType.Float64);
        long time = ids.shape[1], hd = config.Dim / config.Heads, half = hd / 2;
        long groups = config.Heads / config.KvHeads;

        Tensor RmsNorm(Tensor x, string name) =>
            x / (x.pow(2).mean([-1], keepdim: true) + config.NormEps).sqrt() * W(name);

        // Pair (i, i + hd/2) of a head is rotated by angle position · θ^(-2i/hd).
        var angle = zeros(time, half, dtype: ScalarType.Float64);
        for (var t = 0; t < time; t++)
            for (var i = 0; i < half; i++)
                angle[t, i] = t * Math.Pow(config.RopeTheta, -2.0 * i / hd);
        var cos = angle.cos();
        var sin = angle.sin();
        Tensor Rotate(Tensor x)                                                 // (B, T, hd)
        {
            var a = x[.., .., ..(int)half];
            var b = x[.., .., (int)half..];
            return cat([a * cos - b * sin, b * cos + a * sin], -1);
        }

        var future = ones(time, time).triu(1).to_type(ScalarType.Bool);
        var x = W("model.embed_tokens.weight")[ids];                            // (B, T, D)
        for (var layer = 0; layer < config.Layers; layer++)
        {
            var p = $"model.layers.{layer}";
            var h = RmsNorm(x, p + ".input_layernorm.weight");
            var q = h.matmul(W(p + ".self_attn.q_proj.weight").t());            // (B, T, H·hd)
            var k = h.matmul(W(p + ".self_attn.k_proj.weight").t());            // (B, T, KV·hd)
            var v = h.matmul(W(p + ".self_attn.v_proj.weight").t());
            var outputs = new List<Tensor>();
            for (var head = 0; head < config.Heads; head++)
            {
                var kv = head / groups;   // the key/value head this query head shares
                var qh = Rotate(q[.., .., (int)(head * hd)..(int)((head + 1) * hd)]);
                var kh = Rotate(k[.., .., (int)(kv * hd)..(int)((kv + 1) * hd)]);
                var vh = v[.., .., (int)(kv * hd)..(int)((kv + 1) * hd)];
                var scores = qh.matmul(kh.transpose(1, 2)) / Math.Sqrt(hd);    // (B, T, T)
                outputs.Add(scores.masked_fill(future, double.NegativeInfinity).softmax(-1).matmul(vh));
            }
            x = x + cat(outputs, -1).matmul(W(p + ".self_attn.o_proj.weight").t());
            var n = RmsNorm(x, p + ".post_attention_layernorm.weight");
            var gate = n.matmul(W(p + ".mlp.gate_proj.weight").t());
            var up = n.matmul(W(p + ".mlp.up_proj.weight").t());
            x = x + (gate * gate.sigmoid() * up).matmul(W(p + ".mlp.down_proj.weight").t());
        }
        x = RmsNorm(x, "model.norm.weight");
        var output = config.TieEmbeddings ? W("model.embed_tokens.weight") : W("lm_head.weight");
        return x.matmul(output.t());                                            // (B, T, V)
    }
}
