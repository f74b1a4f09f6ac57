using ModelDsl.Families;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Phi-3's attention: one <c>qkv_proj</c> <c>[(Heads + 2·KvHeads)·hd, D]</c> whose output is split into queries, keys
/// and values in that order.
/// </summary>
public sealed class FusedAttention : DecoderAttention
{
    /// <summary>Fused query/key/value projection, <c>[(Heads + 2·KvHeads)·hd, D]</c>.</summary>
    public Linear qkv_proj { get; }

    internal FusedAttention(FamilyShape shape, int layer, Device? device, ScalarType? dtype)
        : base(nameof(FusedAttention), shape, layer, device, dtype)
    {
        qkv_proj = DecoderInit.Linear(shape.Dim, (Heads + 2 * KvHeads) * HeadDim, false, device, dtype);
        // Phi3Attention creates o_proj first; registering in its order keeps the state dict's order.
        register_module("o_proj", o_proj);
        register_module("qkv_proj", qkv_proj);
    }

    private protected override (Tensor Queries, Tensor Keys, Tensor Values) Project(Tensor x, long batch, long time)
    {
        var parts = qkv_proj.forward(x).split([Heads * HeadDim, KvHeads * HeadDim, KvHeads * HeadDim], dim: -1);
        var q = parts[0].view(batch, time, Heads, HeadDim).transpose(1, 2);       // (B, H, T, hd)
        var k = parts[1].view(batch, time, KvHeads, HeadDim).transpose(1, 2);     // (B, KV, T, hd)
        var v = parts[2].view(batch, time, KvHeads, HeadDim).transpose(1, 2);     // (B, KV, T, hd)
        return (q, k, v);
    }
}
