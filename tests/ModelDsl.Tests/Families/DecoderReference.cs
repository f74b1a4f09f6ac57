using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>What the reference needs to know about a tiny checkpoint, in Hugging Face's terms.</summary>
/// <param name="Family">The <c>model_type</c>.</param>
/// <param name="Rope">Rotary scaling: ("linear", factor, 0, 0, 0) or ("llama3", factor, low, high, original), or null.</param>
/// <param name="Window">sliding_window, or 0.</param>
/// <param name="FirstSlidingLayer">The first layer that uses the window (Qwen's max_window_layers; 0 for Mistral and Phi-3).</param>
/// <param name="ExactGelu">Gemma's hidden_act is "gelu" rather than "gelu_pytorch_tanh".</param>
internal sealed record TinyDecoder(string Family, int Layers, int Dim, int Heads, int KvHeads, int HeadDim, int Ffn, int Vocab, int Context,
    bool Tie, double Eps, double Theta, (string Type, double Factor, double Low, double High, int Original)? Rope = null,
    int Window = 0, int FirstSlidingLayer = 0, bool ExactGelu = false)
{
    public bool Fused => Family == "phi3";

    public bool Sliding(int layer) => Window > 0 && layer >= FirstSlidingLayer;

    /// <summary>The weights Hugging Face's <c>…ForCausalLM</c> of this family stores, with their shapes, written out here.</summary>
    public IEnumerable<(string Name, long[] Shape)> Weights()
    {
        long d = Dim, hd = HeadDim, q = Heads * hd, kv = KvHeads * hd, f = Ffn;
        yield return ("model.embed_tokens.weight", [Vocab, d]);
        for (var i = 0; i < Layers; i++)
        {
            var p = $"model.layers.{i}";
            if (Fused)
            {
                yield return ($"{p}.self_attn.o_proj.weight", [d, q]);
                yield return ($"{p}.self_attn.qkv_proj.weight", [q + 2 * kv, d]);
                yield return ($"{p}.mlp.gate_up_proj.weight", [2 * f, d]);
            }
            else
            {
                yield return ($"{p}.self_attn.q_proj.weight", [q, d]);
                yield return ($"{p}.self_attn.k_proj.weight", [kv, d]);
                yield return ($"{p}.self_attn.v_proj.weight", [kv, d]);
                if (Family == "qwen2")
                {
                    yield return ($"{p}.self_attn.q_proj.bias", [q]);
                    yield return ($"{p}.self_attn.k_proj.bias", [kv]);
                    yield return ($"{p}.self_attn.v_proj.bias", [kv]);
                }
                yield return ($"{p}.self_attn.o_proj.weight", [d, q]);
                if (Family == "qwen3")
                {
                    yield return ($"{p}.self_attn.q_norm.weight", [hd]);
                    yield return ($"{p}.self_attn.k_norm.weight", [hd]);
                }
                yield return ($"{p}.mlp.gate_proj.weight", [f, d]);
                yield return ($"{p}.mlp.up_proj.weight", [f, d]);
            }
            yield return ($"{p}.mlp.down_proj.weight", [d, f]);
            yield return ($"{p}.input_layernorm.weight", [d]);
            yield return ($"{p}.post_attention_layernorm.weight", [d]);
        }
        yield return ("model.norm.weight", [d]);
        if (!Tie) yield return ("lm_head.weight", [Vocab, d]);
    }

    /// <summary>Random weights of the right sizes: projections N(0, 0.1), norms near their identity (Gemma's near 0), biases N(0, 0.1).</summary>
    public Dictionary<string, Tensor> RandomWeights(long seed)
    {
        using var generator = new Generator((ulong)seed);
        var weights = new Dictionary<string, Tensor>();
        foreach (var (name, shape) in Weights())
        {
            var noise = randn(shape, generator: generator);
            weights[name] = name.Contains("norm")
                ? (Family == "gemma" ? noise * 0.1 : 1 + noise * 0.1)
                : noise * 0.1;
        }
        return weights;
    }
}

/// <summary>
/// An independent float64 re-implementation of the decoder families, written from Hugging Face's modeling files
/// (modeling_llama, _mistral, _qwen2, _qwen3, _phi3, _gemma and modeling_rope_utils) with plain torch ops: one head at a
/// time, each rotary pair rotated explicitly, masks built from the index rule. It shares no code with the runtime.
/// </summary>
internal static class DecoderReference
{
    /// <summary>The inverse frequencies, rescaled as <c>rope_scaling</c> says (float64, from the formulas).</summary>
    public static double[] InverseFrequencies(TinyDecoder c)
    {
        var result = new double[c.HeadDim / 2];
        for (var i = 0; i < result.Length; i++)
        {
            var inv = Math.Pow(c.Theta, -2.0 * i / c.HeadDim);
            if (c.Rope is { Type: "linear" } linear) inv /= linear.Factor;
            else if (c.Rope is { Type: "llama3" } rope)
            {
                var wavelength = 2 * Math.PI / inv;
                double lowWavelength = rope.Original / rope.Low, highWavelength = rope.Original / rope.High;
                if (wavelength > lowWavelength) inv /= rope.Factor;                  // low frequencies: scaled
                else if (wavelength >= highWavelength)                               // medium: interpolated
                {
                    var smooth = (rope.Original / wavelength - rope.Low) / (rope.High - rope.Low);
                    inv = (1 - smooth) * inv / rope.Factor + smooth * inv;
                }                                                                    // high frequencies: kept
            }
            result[i] = inv;
        }
        return result;
    }

    /// <summary>Logits <c>[B, T, V]</c> in float64 for <paramref name="ids"/> <c>[B, T]</c> (no padding).</summary>
    public static Tensor Logits(TinyDecoder c, IReadOnlyDictionary<string, Tensor> weights, Tensor ids)
    {
        Tensor W(string name) => weights[name].to_type(ScalarType.Float64);
        long time = ids.shape[1], hd = c.HeadDim, half = hd / 2, groups = c.Heads / c.KvHeads;
        bool gemma = c.Family == "gemma";

        Tensor Norm(Tensor x, string name)
        {
            var normed = x / (x.pow(2).mean([-1], keepdim: true) + c.Eps).sqrt();
            return gemma ? normed * (1 + W(name)) : normed * W(name);
        }

        var inverse = InverseFrequencies(c);
        var angle = zeros(time, half, dtype: ScalarType.Float64);
        for (var t = 0; t < time; t++)
            for (var i = 0; i < half; i++)
                angle[t, i] = t * inverse[i];
        var cos = angle.cos();
        var sin = angle.sin();
        Tensor Rotate(Tensor x)                                                  // (B, T, hd): pair (i, i + hd/2)
        {
            var a = x[.., .., ..(int)half];
            var b = x[.., .., (int)half..];
            return cat([a * cos - b * sin, b * cos + a * sin], -1);
        }

        Tensor Mask(bool sliding)                                                // true = hidden
        {
            var hidden = ones(time, time, dtype: ScalarType.Bool);
            for (var q = 0; q < time; q++)
                for (var k = 0; k <= q; k++)
                    if (!sliding || q - k < c.Window) hidden[q, k] = false;
            return hidden;
        }

        var x = W("model.embed_tokens.weight")[ids];                            // (B, T, D)
        if (gemma) x = x * (double)(float)Math.Sqrt(c.Dim);                      // √D rounded to the model's float32 first
        for (var layer = 0; layer < c.Layers; layer++)
        {
            var p = $"model.layers.{layer}";
            var h = Norm(x, p + ".input_layernorm.weight");
            Tensor q, k, v;
            if (c.Fused)
            {
                var qkv = h.matmul(W(p + ".self_attn.qkv_proj.weight").t());
                q = qkv[.., .., ..(int)(c.Heads * hd)];
                k = qkv[.., .., (int)(c.Heads * hd)..(int)((c.Heads + c.KvHeads) * hd)];
                v = qkv[.., .., (int)((c.Heads + c.KvHeads) * hd)..];
            }
            else
            {
                q = h.matmul(W(p + ".self_attn.q_proj.weight").t());
                k = h.matmul(W(p + ".self_attn.k_proj.weight").t());
                v = h.matmul(W(p + ".self_attn.v_proj.weight").t());
                if (c.Family == "qwen2")
                {
                    q = q + W(p + ".self_attn.q_proj.bias");
                    k = k + W(p + ".self_attn.k_proj.bias");
                    v = v + W(p + ".self_attn.v_proj.bias");
                }
            }
            var hidden = Mask(c.Sliding(layer));
            var outputs = new List<Tensor>();
            for (var head = 0; head < c.Heads; head++)
            {
                var kvHead = head / groups;
                var qh = q[.., .., (int)(head * hd)..(int)((head + 1) * hd)];
                var kh = k[.., .., (int)(kvHead * hd)..(int)((kvHead + 1) * hd)];
                if (c.Family == "qwen3")
                {
                    qh = Norm(qh, p + ".self_attn.q_norm.weight");
                    kh = Norm(kh, p + ".self_attn.k_norm.weight");
                }
                var vh = v[.., .., (int)(kvHead * hd)..(int)((kvHead + 1) * hd)];
                var scores = Rotate(qh).matmul(Rotate(kh).transpose(1, 2)) / Math.Sqrt(hd);   // (B, T, T)
                outputs.Add(scores.masked_fill(hidden, double.NegativeInfinity).softmax(-1).matmul(vh));
            }
            x = x + cat(outputs, -1).matmul(W(p + ".self_attn.o_proj.weight").t());
            var n = Norm(x, p + ".post_attention_layernorm.weight");
            Tensor gate, up;
            if (c.Fused)
            {
                var gateUp = n.matmul(W(p + ".mlp.gate_up_proj.weight").t());
                gate = gateUp[.., .., ..c.Ffn];
                up = gateUp[.., .., c.Ffn..];
            }
            else
            {
                gate = n.matmul(W(p + ".mlp.gate_proj.weight").t());
                up = n.matmul(W(p + ".mlp.up_proj.weight").t());
            }
            var activated = !gemma ? gate * gate.sigmoid()
                : c.ExactGelu ? 0.5 * gate * (1 + (gate / Math.Sqrt(2)).erf())
                : 0.5 * gate * (1 + (Math.Sqrt(2 / Math.PI) * (gate + 0.044715 * gate.pow(3))).tanh());
            x = x + (activated * up).matmul(W(p + ".mlp.down_proj.weight").t());
        }
        x = Norm(x, "model.norm.weight");
        var head_ = c.Tie ? W("model.embed_tokens.weight") : W("lm_head.weight");
        return x.matmul(head_.t());                                              // (B, T, V)
    }
}
