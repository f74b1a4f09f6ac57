using ModelDsl.Families;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Self-attention of the rotary decoder families: the family's projections give queries, keys and values, rotary
/// positions rotate queries and keys, grouped-query attention shares each key/value head among
/// <c>Heads / KvHeads</c> query heads (as Hugging Face's repeat_kv), scores are scaled by 1/√head_dim, and
/// <see cref="o_proj"/> mixes the heads back. A layer of a sliding-window family attends through the window.
/// </summary>
public abstract class DecoderAttention : DslModule<Tensor, DecoderContext, Tensor>
{
    /// <summary>Output projection, <c>[D, Heads·hd]</c> (registered by the subclass, in Hugging Face's order).</summary>
    public Linear o_proj { get; }

    /// <summary>Query heads.</summary>
    public long Heads { get; }

    /// <summary>Key/value heads.</summary>
    public long KvHeads { get; }

    /// <summary>Width of one head.</summary>
    public long HeadDim { get; }

    /// <summary>Whether this layer attends through the sliding window.</summary>
    public bool UsesSlidingWindow { get; }

    private protected DecoderAttention(string name, FamilyShape shape, int layer, Device? device, ScalarType? dtype) : base(name)
    {
        (Heads, KvHeads, HeadDim) = (shape.Heads, shape.KvHeads, shape.HeadWidth);
        UsesSlidingWindow = shape.UsesSlidingWindow(layer);
        o_proj = DecoderInit.Linear(Heads * HeadDim, shape.Dim, false, device, dtype);
    }

    /// <summary>Queries <c>[B, H, T, hd]</c>, keys and values <c>[B, KV, T, hd]</c> for <paramref name="x"/> <c>[B, T, D]</c>.</summary>
    private protected abstract (Tensor Queries, Tensor Keys, Tensor Values) Project(Tensor x, long batch, long time);

    /// <summary><c>[B, T, D]</c> → <c>[B, T, D]</c>.</summary>
    public override Tensor forward(Tensor x, DecoderContext context) => Forward(x, context, null);

    /// <summary>
    /// As <see cref="forward"/>, and with <paramref name="cache"/> the new (rotated) keys and values are appended to the
    /// cached ones and the <c>T</c> new queries attend all of them; the context's masks are then
    /// <c>[B, 1, T, cached + T]</c>, or null for plain causal attention (a first step,
    /// or one new token, which sees every key).
    /// </summary>
    public Tensor Forward(Tensor x, DecoderContext context, KeyValueCache.Layer? cache)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], time = x.shape[1];
        var (q, k, v) = Project(x, batch, time);                                           // (B, H, T, hd), (B, KV, T, hd) ×2
        q = RotaryEmbedding.Apply(q, context.Cos, context.Sin);
        k = RotaryEmbedding.Apply(k, context.Cos, context.Sin);
        if (cache is not null) (k, v) = cache.Append(k, v);                                // (B, KV, L+T, hd) each
        if (KvHeads != Heads)
        {
            // Key/value head j serves query heads j·g … j·g + g - 1, as Hugging Face's repeat_kv.
            k = k.repeat_interleave(Heads / KvHeads, dim: 1);                                 // (B, H, S, hd)
            v = v.repeat_interleave(Heads / KvHeads, dim: 1);                                 // (B, H, S, hd)
        }
        var mask = UsesSlidingWindow ? context.SlidingMask : context.AttentionMask;
        var y = ScaledAttention.Causal(q, k, v, mask);                                      // (B, H, T, hd)
        y = y.transpose(1, 2).contiguous().view(batch, time, Heads * HeadDim);               // (B, T, H·hd)
        return o_proj.forward(y).MoveToOuterDisposeScope();                                  // (B, T, D)
    }
}
