using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// GPT-2 causal self-attention: <c>c_attn</c> (Conv1D <c>[D, 3D]</c>) projects to <c>[Q | K | V]</c>, heads attend
/// with scale 1/√head_dim, <c>c_proj</c> (Conv1D <c>[D, D]</c>) mixes the heads back.
/// </summary>
public sealed class Gpt2Attention : DslModule<Tensor, Tensor?, Tensor>
{
    /// <summary>Query/key/value projection, weight <c>[D, 3D]</c>.</summary>
    public Conv1D c_attn { get; }

    /// <summary>Output projection, weight <c>[D, D]</c>.</summary>
    public Conv1D c_proj { get; }

    /// <summary>Attention heads.</summary>
    public long Heads { get; }

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public Gpt2Attention(Gpt2Config config, Device? device = null, ScalarType? dtype = null) : base(nameof(Gpt2Attention))
    {
        Heads = config.Heads;
        c_attn = new Conv1D(config.Dim, 3L * config.Dim, device, dtype);
        // Residual projections start smaller so the residual stream's variance does not grow with depth.
        c_proj = new Conv1D(config.Dim, config.Dim, device, dtype, initStd: 0.02 / System.Math.Sqrt(2.0 * config.Layers));
        register_module("c_attn", c_attn);
        register_module("c_proj", c_proj);
    }

    /// <summary>
    /// <c>[B, T, D]</c> → <c>[B, T, D]</c>. <paramref name="attentionMask"/> <c>[B, 1, T, T]</c> (true = may attend) replaces
    /// the plain causal mask when the batch has padding.
    /// </summary>
    public override Tensor forward(Tensor x, Tensor? attentionMask) => Forward(x, attentionMask, null);

    /// <summary>
    /// As <see cref="forward"/>, and with <paramref name="cache"/> the new keys and values are appended to the cached
    /// ones and the <c>T</c> new queries attend all of them; <paramref name="attentionMask"/> is then
    /// <c>[B, 1, T, cached + T]</c>, or null for plain causal attention (a first
    /// step, or one new token, which sees every key).
    /// </summary>
    public Tensor Forward(Tensor x, Tensor? attentionMask, KeyValueCache.Layer? cache)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[1], dim = x.shape[2];
        var headDim = dim / Heads;
        var qkv = c_attn.forward(x).split(dim, dim: -1);                          // 3 × (B, T, D)
        var q = qkv[0].view(batch, time, Heads, headDim).transpose(1, 2);           // (B, H, T, hd)
        var k = qkv[1].view(batch, time, Heads, headDim).transpose(1, 2);           // (B, H, T, hd)
        var v = qkv[2].view(batch, time, Heads, headDim).transpose(1, 2);           // (B, H, T, hd)
        if (cache is not null) (k, v) = cache.Append(k, v);                         // (B, H, L+T, hd) each
        var y = ScaledAttention.Causal(q, k, v, attentionMask);                    // (B, H, T, hd)
        y = y.transpose(1, 2).contiguous().view(batch, time, dim);                  // (B, T, D)
        return c_proj.forward(y).MoveToOuterDisposeScope();
    }
}
