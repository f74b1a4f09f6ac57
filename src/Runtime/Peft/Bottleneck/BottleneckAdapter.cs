using System;
using TorchSharp;
using static TorchSharp.torch;
using ModelDsl.Layers;

namespace ModelDsl.Peft;

/// <summary>
/// A bottleneck adapter (Houlsby et al. 2019): <c>y = x + up(act(down(x)))</c> with <c>down</c> <c>[Bottleneck, Dim]</c>
/// and <c>up</c> <c>[Dim, Bottleneck]</c>. <c>up</c>'s weight and bias start at zero, so a fresh adapter returns
/// its input unchanged, bit for bit. A block applies it to a sub-layer's output before the residual add
/// (<c>x = x + adapter(attn(ln_1(x)))</c>); see <see cref="BottleneckPlacement"/> for where.
/// </summary>
public sealed class BottleneckAdapter : DslModule<Tensor, Tensor>
{
    /// <summary>Creates an adapter of width <paramref name="dim"/> squeezing through <paramref name="bottleneck"/>.</summary>
    public BottleneckAdapter(long dim, long bottleneck, Activation activation = Activation.Relu, Device? device = null, ScalarType? dtype = null)
        : base(nameof(BottleneckAdapter))
    {
        if (bottleneck < 1 || dim < 1)
            throw new ArgumentOutOfRangeException(nameof(bottleneck), bottleneck, $"A bottleneck adapter needs dim ≥ 1 and bottleneck ≥ 1, got dim {dim}, bottleneck {bottleneck}.");
        Dim = dim;
        Bottleneck = bottleneck;
        Activation = activation;
        down = new Linear(dim, bottleneck, hasBias: true, device, dtype);
        up = new Linear(bottleneck, dim, hasBias: true, device, dtype);
        using (no_grad())
        {
            up.weight.zero_();
            up.bias!.zero_();
        }
        register_module("down", down);
        register_module("up", up);
    }

    /// <summary>Down projection, weight <c>[Bottleneck, Dim]</c>.</summary>
    public Linear down { get; }

    /// <summary>Up projection, weight <c>[Dim, Bottleneck]</c>, zero at creation.</summary>
    public Linear up { get; }

    /// <summary>Model width.</summary>
    public long Dim { get; }

    /// <summary>Inner width.</summary>
    public long Bottleneck { get; }

    /// <summary>The non-linearity between the projections.</summary>
    public Activation Activation { get; }

    /// <summary><c>[..., Dim]</c> → <c>[..., Dim]</c>: <c>x + up(act(down(x)))</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = Activations.Apply(Activation, down.forward(x));   // (..., Bottleneck)
        var residual = up.forward(hidden);                               // (..., Dim)
        return x.add(residual).MoveToOuterDisposeScope();               // (..., Dim)
    }
}

/// <summary>Where bottleneck adapters go in each transformer block.</summary>
public enum BottleneckPlacement
{
    /// <summary>Houlsby et al.: after the attention sub-layer and after the MLP (two adapters per block).</summary>
    Houlsby,

    /// <summary>Pfeiffer et al.: after the MLP only (one adapter per block).</summary>
    Pfeiffer,
}
