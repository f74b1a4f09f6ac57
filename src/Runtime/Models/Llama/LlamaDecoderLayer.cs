using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// One pre-norm Llama layer: <c>x = x + self_attn(input_layernorm(x))</c>, then
/// <c>x = x + mlp(post_attention_layernorm(x))</c>, with optional adapters on each sub-layer's output.
/// </summary>
public sealed class LlamaDecoderLayer : DslModule<Tensor, DecoderContext, Tensor>
{
    /// <summary>Self-attention.</summary>
    public LlamaAttention self_attn { get; }

    /// <summary>Gated MLP.</summary>
    public LlamaMlp mlp { get; }

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

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public LlamaDecoderLayer(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(config, device, dtype);
        mlp = new LlamaMlp(config, device, dtype);
        input_layernorm = new RmsNorm(config.Dim, config.NormEps, device, dtype);
        post_attention_layernorm = new RmsNorm(config.Dim, config.NormEps, device, dtype);
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
        var fed = mlp.forward(post_attention_layernorm.forward(x));             // (B, T, D)
        if (MlpAdapter is not null) fed = MlpAdapter.forward(fed);
        x = x + fed;
        return x.MoveToOuterDisposeScope();
    }
}
