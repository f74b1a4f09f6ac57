using ModelDsl.Families;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Attention with separate <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c> (Llama, Mistral, Qwen2, Qwen3, Gemma): biased
/// in Qwen2, and in Qwen3 each head of the queries and keys goes through its own RMSNorm (<c>q_norm</c>,
/// <c>k_norm</c> over head_dim) before the rotation.
/// </summary>
public sealed class ProjectedAttention : DecoderAttention
{
    /// <summary>Query projection, <c>[Heads·hd, D]</c>.</summary>
    public Linear q_proj { get; }

    /// <summary>Key projection, <c>[KvHeads·hd, D]</c>.</summary>
    public Linear k_proj { get; }

    /// <summary>Value projection, <c>[KvHeads·hd, D]</c>.</summary>
    public Linear v_proj { get; }

    /// <summary>Per-head query norm <c>[hd]</c> (Qwen3), or <see langword="null"/>.</summary>
    public RmsNorm? q_norm { get; }

    /// <summary>Per-head key norm <c>[hd]</c> (Qwen3), or <see langword="null"/>.</summary>
    public RmsNorm? k_norm { get; }

    internal ProjectedAttention(FamilyShape shape, int layer, Device? device, ScalarType? dtype)
        : base(nameof(ProjectedAttention), shape, layer, device, dtype)
    {
        bool bias = shape.Traits.QkvBias;
        q_proj = DecoderInit.Linear(shape.Dim, Heads * HeadDim, bias, device, dtype);
        k_proj = DecoderInit.Linear(shape.Dim, KvHeads * HeadDim, bias, device, dtype);
        v_proj = DecoderInit.Linear(shape.Dim, KvHeads * HeadDim, bias, device, dtype);
        register_module("q_proj", q_proj);
        register_module("k_proj", k_proj);
        register_module("v_proj", v_proj);
        register_module("o_proj", o_proj);
        if (shape.Traits.QkNorm)
        {
            q_norm = new RmsNorm(HeadDim, shape.NormEps, device, dtype);
            k_norm = new RmsNorm(HeadDim, shape.NormEps, device, dtype);
            register_module("q_norm", q_norm);
            register_module("k_norm", k_norm);
        }
    }

    private protected override (Tensor Queries, Tensor Keys, Tensor Values) Project(Tensor x, long batch, long time)
    {
        var q = q_proj.forward(x).view(batch, time, Heads, HeadDim);      // (B, T, H, hd)
        var k = k_proj.forward(x).view(batch, time, KvHeads, HeadDim);    // (B, T, KV, hd)
        var v = v_proj.forward(x).view(batch, time, KvHeads, HeadDim);    // (B, T, KV, hd)
        if (q_norm is not null && k_norm is not null)
        {
            q = q_norm.forward(q);
            k = k_norm.forward(k);
        }
        return (q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)); // (B, H, T, hd), (B, KV, T, hd) ×2
    }
}
