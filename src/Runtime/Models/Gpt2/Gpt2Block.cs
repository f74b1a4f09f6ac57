using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// One pre-norm GPT-2 block: <c>x = x + attn(ln_1(x))</c>, then <c>x = x + mlp(ln_2(x))</c>. Optional adapters
/// (bottleneck adapters of additive PEFT) transform each sub-layer's output before it is added back.
/// </summary>
public sealed class Gpt2Block : DslModule<Tensor, Tensor?, Tensor>
{
    /// <summary>Norm before attention.</summary>
    public LayerNorm ln_1 { get; }

    /// <summary>Causal self-attention.</summary>
    public Gpt2Attention attn { get; }

    /// <summary>Norm before the MLP.</summary>
    public LayerNorm ln_2 { get; }

    /// <summary>Feed-forward network.</summary>
    public Gpt2Mlp mlp { get; }

    /// <summary>
    /// Applied to the attention output before the residual add when set. Not registered by the block: whoever sets
    /// it owns and registers it (so base checkpoints keep their keys).
    /// </summary>
    public nn.Module<Tensor, Tensor>? AttentionAdapter { get; set; }

    /// <summary>Applied to the MLP output before the residual add when set; not registered by the block.</summary>
    public nn.Module<Tensor, Tensor>? MlpAdapter { get; set; }

    /// <summary>Creates the block for <paramref name="config"/>.</summary>
    public Gpt2Block(Gpt2Config config, Device? device = null, ScalarType? dtype = null) : base(nameof(Gpt2Block))
    {
        ln_1 = new LayerNorm(config.Dim, config.NormEps, device, dtype);
        attn = new Gpt2Attention(config, device, dtype);
        ln_2 = new LayerNorm(config.Dim, config.NormEps, device, dtype);
        mlp = new Gpt2Mlp(config, device, dtype);
        register_module("ln_1", ln_1);
        register_module("attn", attn);
        register_module("ln_2", ln_2);
        register_module("mlp", mlp);
    }

    /// <summary><c>[B, T, D]</c> → <c>[B, T, D]</c>; <paramref name="attentionMask"/> as <see cref="Gpt2Attention.forward"/>.</summary>
    public override Tensor forward(Tensor x, Tensor? attentionMask) => Forward(x, attentionMask, null);

    /// <summary>As <see cref="forward"/>, attending cached keys and values too when <paramref name="cache"/> is set.</summary>
    public Tensor Forward(Tensor x, Tensor? attentionMask, KeyValueCache.Layer? cache)
    {
        using var scope = NewDisposeScope();
        var attended = attn.Forward(ln_1.forward(x), attentionMask, cache); // (B, T, D)
        if (AttentionAdapter is not null) attended = AttentionAdapter.forward(attended);
        x = x + attended;
        var fed = mlp.forward(ln_2.forward(x));                          // (B, T, D)
        if (MlpAdapter is not null) fed = MlpAdapter.forward(fed);
        x = x + fed;
        return x.MoveToOuterDisposeScope();
    }
}
