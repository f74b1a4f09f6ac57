using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Llama self-attention: bias-free <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, <c>o_proj</c>, rotary positions on
/// queries and keys, and grouped-query attention when there are fewer key/value heads than query heads.
/// </summary>
public sealed class LlamaAttention : DslModule<Tensor, DecoderContext, Tensor>
{
    /// <summary>Query projection, <c>[Heads·hd, D]</c>.</summary>
    public Linear q_proj { get; }

    /// <summary>Key projection, <c>[KvHeads·hd, D]</c>.</summary>
    public Linear k_proj { get; }

    /// <summary>Value projection, <c>[KvHeads·hd, D]</c>.</summary>
    public Linear v_proj { get; }

    /// <summary>Output projection, <c>[D, Heads·hd]</c>.</summary>
    public Linear o_proj { get; }

    readonly long _heads, _kvHeads, _headDim;

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public LlamaAttention(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaAttention))
    {
        (_heads, _kvHeads, _headDim) = (config.Heads, config.KvHeads, config.HeadDim);
        q_proj = LlamaInit.Linear(config.Dim, _heads * _headDim, device, dtype);
        k_proj = LlamaInit.Linear(config.Dim, _kvHeads * _headDim, device, dtype);
        v_proj = LlamaInit.Linear(config.Dim, _kvHeads * _headDim, device, dtype);
        o_proj = LlamaInit.Linear(_heads * _headDim, config.Dim, device, dtype);
        register_module("q_proj", q_proj);
        register_module("k_proj", k_proj);
        register_module("v_proj", v_proj);
        register_module("o_proj", o_proj);
    }

    /// <summary><c>[B, T, D]</c> → <c>[B, T, D]</c>.</summary>
    public override Tensor forward(Tensor x, DecoderContext context) => Forward(x, context, null);

    /// <summary>
    /// As <see cref="forward"/>, and with <paramref name="cache"/> the new (rotated) keys and values are appended to the
    /// cached ones and the <c>T</c> new queries attend all of them; the context's mask is then
    /// <c>[B, 1, T, cached + T]</c> and required.
    /// </summary>
    public Tensor Forward(Tensor x, DecoderContext context, KeyValueCache.Layer? cache)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[1];
        var q = q_proj.forward(x).view(batch, time, _heads, _headDim).transpose(1, 2);     // (B, H, T, hd)
        var k = k_proj.forward(x).view(batch, time, _kvHeads, _headDim).transpose(1, 2);   // (B, KV, T, hd)
        var v = v_proj.forward(x).view(batch, time, _kvHeads, _headDim).transpose(1, 2);   // (B, KV, T, hd)
        q = RotaryEmbedding.Apply(q, context.Cos, context.Sin);
        k = RotaryEmbedding.Apply(k, context.Cos, context.Sin);
        if (cache is not null) (k, v) = cache.Append(k, v);                                // (B, KV, L+T, hd) each
        if (_kvHeads != _heads)
        {
            // Key/value head j serves query heads j·g … j·g + g - 1, as Hugging Face's repeat_kv.
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);                               // (B, H, T, hd)
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);                               // (B, H, T, hd)
        }
        var y = context.AttentionMask is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true)
            : nn.functional.scaled_dot_product_attention(q, k, v, context.AttentionMask);     // (B, H, T, hd)
        y = y.transpose(1, 2).contiguous().view(batch, time, _heads * _headDim);              // (B, T, H·hd)
        return o_proj.forward(y).MoveToOuterDisposeScope();                                   // (B, T, D)
    }
}
