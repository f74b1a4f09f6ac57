using System;
using ModelDsl.Families;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// One pre-norm decoder layer: <c>x = x + self_attn(input_layernorm(x))</c>, then
/// <c>x = x + mlp(post_attention_layernorm(x))</c>, with optional adapters on each sub-layer's output.
/// </summary>
/// <typeparam name="TAttention">The family's attention (<see cref="ProjectedAttention"/> or <see cref="FusedAttention"/>).</typeparam>
/// <typeparam name="TMlp">The family's MLP (<see cref="GatedMlp"/> or <see cref="FusedGatedMlp"/>).</typeparam>
public sealed class DecoderLayer<TAttention, TMlp> : DslModule<Tensor, DecoderContext, Tensor>
    where TAttention : DecoderAttention
    where TMlp : DecoderMlp
{
    /// <summary>Self-attention.</summary>
    public TAttention self_attn { get; }

    /// <summary>Gated MLP.</summary>
    public TMlp mlp { get; }

    /// <summary>Norm before attention.</summary>
    public RmsNorm input_layernorm { get; }

    /// <summary>Norm before the MLP.</summary>
    public RmsNorm post_attention_layernorm { get; }

    /// <summary>
    /// Applied to the attention output before the residual add when set. Not registered by the layer: whoever
    /// sets it owns and registers it (so base checkpoints keep their keys).
    /// </summary>
    public nn.Module<Tensor, Tensor>? AttentionAdapter { get; set; }

    /// <summary>Applied to the MLP output before the residual add when set; not registered by the layer.</summary>
    public nn.Module<Tensor, Tensor>? MlpAdapter { get; set; }

    internal DecoderLayer(FamilyShape shape, int layer, Device? device, ScalarType? dtype) : base("DecoderLayer")
    {
        self_attn = (TAttention)(shape.Traits.FusedProjections
            ? (DecoderAttention)new FusedAttention(shape, layer, device, dtype)
            : new ProjectedAttention(shape, layer, device, dtype));
        mlp = (TMlp)(shape.Traits.FusedProjections
            ? (DecoderMlp)new FusedGatedMlp(shape, device, dtype)
            : new GatedMlp(shape, device, dtype));
        bool unitOffset = shape.Traits.UnitOffsetNorm;
        input_layernorm = new RmsNorm(shape.Dim, shape.NormEps, device, dtype, unitOffset);
        post_attention_layernorm = new RmsNorm(shape.Dim, shape.NormEps, device, dtype, unitOffset);
        register_module("self_attn", self_attn);
        register_module("mlp", mlp);
        register_module("input_layernorm", input_layernorm);
        register_module("post_attention_layernorm", post_attention_layernorm);
    }

    /// <summary><c>[B, T, D]</c> → <c>[B, T, D]</c>.</summary>
    public override Tensor forward(Tensor x, DecoderContext context) => Forward(x, context, null);

    /// <summary>As <see cref="forward"/>, attending cached keys and values too when <paramref name="cache"/> is set.</summary>
    public Tensor Forward(Tensor x, DecoderContext context, KeyValueCache.Layer? cache)
    {
        using var scope = NewDisposeScope();
        var attended = self_attn.Forward(input_layernorm.forward(x), context, cache);   // (B, T, D)
        if (AttentionAdapter is not null) attended = AttentionAdapter.forward(attended);
        x = x + attended;
        var fed = mlp.forward(post_attention_layernorm.forward(x));                     // (B, T, D)
        if (MlpAdapter is not null) fed = MlpAdapter.forward(fed);
        x = x + fed;
        return x.MoveToOuterDisposeScope();
    }
}
