using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>Feed-forward block <c>c_proj(act(c_fc(x)))</c>.</summary>
public sealed class Mlp : DslModule<Tensor, Tensor>
{
    /// <summary>Up projection, <c>[Hidden, Dim]</c>.</summary>
    public Linear c_fc { get; }

    /// <summary>Down projection, <c>[Dim, Hidden]</c>.</summary>
    public Linear c_proj { get; }

    /// <summary>The activation between the projections.</summary>
    public Activation Activation { get; }

    /// <summary>Creates the block.</summary>
    public Mlp(long dim, long hidden, Activation activation = Activation.GeluTanh, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Mlp))
    {
        Activation = activation;
        c_fc = new Linear(dim, hidden, true, device, dtype);
        c_proj = new Linear(hidden, dim, true, device, dtype);
        register_module("c_fc", c_fc);
        register_module("c_proj", c_proj);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var hidden = c_fc.forward(x);
        using var activated = Activations.Apply(Activation, hidden);
        return c_proj.forward(activated);
    }
}

/// <summary>The activation functions the DSL names.</summary>
public static class Activations
{
    /// <summary>Applies <paramref name="activation"/> to <paramref name="x"/>.</summary>
    public static Tensor Apply(Activation activation, Tensor x) => activation switch
    {
        Activation.Gelu => nn.functional.gelu(x),
        Activation.GeluTanh => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        Activation.Relu => nn.functional.relu(x),
        Activation.Silu => nn.functional.silu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
