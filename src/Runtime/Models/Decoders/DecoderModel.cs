using System;
using System.Linq;
using ModelDsl.Families;
using ModelDsl.Layers;
using ModelDsl.Layers.Checkpointing;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// The trunk of the rotary decoder families, registered as <c>model</c>: <c>embed_tokens</c>, <c>layers</c>, final
/// <c>norm</c>. Gemma multiplies the embeddings by √hidden_size (rounded to their dtype first, as Hugging Face does);
/// the other families use them as they are.
/// </summary>
/// <typeparam name="TAttention">The family's attention.</typeparam>
/// <typeparam name="TMlp">The family's MLP.</typeparam>
public sealed class DecoderModel<TAttention, TMlp> : DslModule
    where TAttention : DecoderAttention
    where TMlp : DecoderMlp
{
    readonly FamilyShape _shape;
    readonly bool _anySlidingLayer;

    /// <summary>Token embedding, <c>[Vocab, D]</c>.</summary>
    public Embedding embed_tokens { get; }

    /// <summary>The decoder layers.</summary>
    public ModuleList<DecoderLayer<TAttention, TMlp>> layers { get; }

    /// <summary>Final RMS norm.</summary>
    public RmsNorm norm { get; }

    /// <summary>Rotary position embedding (no parameters, not registered).</summary>
    public RotaryEmbedding Rotary { get; }

    /// <summary>
    /// Whether each layer's forward is recomputed in backward instead of keeping its activations
    /// (<see cref="GradientCheckpoint"/>, with the rotary tables and masks as its constants): only while training with
    /// gradients recorded and without a key/value cache.
    /// </summary>
    public bool GradientCheckpointing { get; set; }

    internal DecoderModel(FamilyShape shape, Device? device, ScalarType? dtype) : base("DecoderModel")
    {
        _shape = shape;
        embed_tokens = new Embedding(shape.Vocab, shape.Dim, device, dtype);
        using (no_grad()) nn.init.normal_(embed_tokens.weight, 0, DecoderInit.Std);
        var blocks = new DecoderLayer<TAttention, TMlp>[shape.Layers];
        for (var i = 0; i < blocks.Length; i++) blocks[i] = new DecoderLayer<TAttention, TMlp>(shape, i, device, dtype);
        layers = new ModuleList<DecoderLayer<TAttention, TMlp>>(blocks);
        norm = new RmsNorm(shape.Dim, shape.NormEps, device, dtype, shape.Traits.UnitOffsetNorm);
        Rotary = new RotaryEmbedding(shape.HeadWidth, shape.RopeTheta, shape.RopeScaling is { } rope
            ? new RotaryScaling(rope.Kind == RopeKind.Linear ? RotaryScalingType.Linear : RotaryScalingType.Llama3,
                rope.Factor, rope.LowFreqFactor, rope.HighFreqFactor, rope.OriginalContext)
            : null);
        _anySlidingLayer = Enumerable.Range(0, shape.Layers).Any(shape.UsesSlidingWindow);
        register_module("embed_tokens", embed_tokens);
        register_module("layers", layers);
        register_module("norm", norm);
    }

    /// <summary>
    /// Hidden states <c>[B, T, D]</c> for embeddings <c>[B, T, D]</c> at <paramref name="positionIds"/> <c>[B, T]</c>;
    /// <paramref name="attentionMask"/> is <c>[B, 1, T, T]</c> boolean or null for plain causal attention. With
    /// <paramref name="cache"/> the tokens follow the cached ones and the mask is <c>[B, 1, T, cached + T]</c> or null
    /// (plain causal attention, as <see cref="KeyValueCache.BeginStep(long)"/> gives it).
    /// </summary>
    public Tensor Forward(Tensor embeddings, Tensor positionIds, Tensor? attentionMask, KeyValueCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var x = embeddings;                                                  // (B, T, D)
        if (_shape.Traits.ScaledEmbeddings)
            x = x * tensor(Math.Sqrt(_shape.Dim), dtype: x.dtype, device: x.device);   // √D in the model's dtype, as Gemma
        var (cos, sin) = Rotary.Compute(positionIds, x.dtype);              // (B, 1, T, hd) each
        long time = x.shape[1], keys = (cache?.Length ?? 0) + time;
        // A window shorter than the keys hides the oldest ones from sliding layers; a longer one changes nothing.
        var sliding = _anySlidingLayer && keys > _shape.SlidingWindow
            ? PaddingMask.SlidingWindow(attentionMask, time, keys, _shape.SlidingWindow, x.device)
            : attentionMask;
        var context = new DecoderContext(cos, sin, attentionMask, sliding);
        var checkpoint = GradientCheckpointing && training && cache is null;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            x = checkpoint
                ? GradientCheckpoint.Run((input, c) => layer.Forward(input, new DecoderContext(c[0]!, c[1]!, c[2], c[3]), null),
                    x, cos, sin, attentionMask, sliding)
                : layer.Forward(x, context, cache?[i]);
        }
        return norm.forward(x).MoveToOuterDisposeScope();                   // (B, T, D)
    }
}
