using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Multi-head causal self-attention with a fused projection <c>c_attn</c> whose output is laid out
/// <c>[Q | K | V]</c>, and an output projection <c>c_proj</c>. Grouped-query attention when
/// <see cref="KvHeads"/> &lt; <see cref="Heads"/>: each key/value head serves Heads/KvHeads query heads.
/// </summary>
public sealed class CausalSelfAttention : DslModule<Tensor, Tensor>
{
    /// <summary>Query/key/value projection, <c>[(Heads + 2·KvHeads)·HeadDim, Dim]</c>.</summary>
    public Linear c_attn { get; }

    /// <summary>Output projection, <c>[Dim, Dim]</c>.</summary>
    public Linear c_proj { get; }

    /// <summary>Model width.</summary>
    public long Dim { get; }

    /// <summary>Query heads.</summary>
    public long Heads { get; }

    /// <summary>Key/value heads.</summary>
    public long KvHeads { get; }

    /// <summary>Width of one head.</summary>
    public long HeadDim => Dim / Heads;

    /// <summary>Creates the layer; <paramref name="heads"/> must divide <paramref name="dim"/> and <paramref name="kvHeads"/> must divide <paramref name="heads"/>.</summary>
    public CausalSelfAttention(long dim, long heads, long? kvHeads = null, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
        : base(nameof(CausalSelfAttention))
    {
        var kv = kvHeads ?? heads;
        if (heads < 1 || dim % heads != 0)
            throw new ArgumentException($"Attention heads ({heads}) must divide the model width ({dim}).", nameof(heads));
        if (kv < 1 || heads % kv != 0)
            throw new ArgumentException($"Key/value heads ({kv}) must divide the query heads ({heads}).", nameof(kvHeads));
        Dim = dim;
        Heads = heads;
        KvHeads = kv;
        c_attn = new Linear(dim, (heads + 2 * kv) * HeadDim, hasBias, device, dtype);
        c_proj = new Linear(dim, dim, hasBias, device, dtype);
        register_module("c_attn", c_attn);
        register_module("c_proj", c_proj);
    }

    /// <summary><c>[B, T, Dim]</c> → <c>[B, T, Dim]</c>; position t attends to positions ≤ t.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[1];
        var qkv = c_attn.forward(x);                                          // (B, T, (H + 2KV)·hd)
        var parts = qkv.split([Heads * HeadDim, KvHeads * HeadDim, KvHeads * HeadDim], dim: -1);
        var q = parts[0].view(batch, time, Heads, HeadDim).transpose(1, 2);   // (B, H, T, hd)
        var k = parts[1].view(batch, time, KvHeads, HeadDim).transpose(1, 2); // (B, KV, T, hd)
        var v = parts[2].view(batch, time, KvHeads, HeadDim).transpose(1, 2); // (B, KV, T, hd)
        if (KvHeads != Heads)
        {
            k = k.repeat_interleave(Heads / KvHeads, dim: 1);                  // (B, H, T, hd)
            v = v.repeat_interleave(Heads / KvHeads, dim: 1);
        }
        var y = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true); // (B, H, T, hd)
        y = y.transpose(1, 2).contiguous().view(batch, time, Dim);            // (B, T, Dim)
        return c_proj.forward(y).MoveToOuterDisposeScope();
    }
}
