using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>Layer normalisation over the last dimension with <c>weight</c> (ones) and <c>bias</c> (zeros).</summary>
public sealed class LayerNorm : DslModule<Tensor, Tensor>
{
    readonly long[] _shape;

    /// <summary>Scale, <c>[Dim]</c>.</summary>
    public Parameter weight { get; private set => field = SetParameter("weight", field, value); }

    /// <summary>Shift, <c>[Dim]</c>.</summary>
    public Parameter bias { get; private set => field = SetParameter("bias", field, value); }

    /// <summary>Stability term.</summary>
    public double Eps { get; }

    /// <summary>Creates a layer norm over a last dimension of size <paramref name="dim"/>.</summary>
    public LayerNorm(long dim, double eps = 1e-5, Device? device = null, ScalarType? dtype = null) : base(nameof(LayerNorm))
    {
        _shape = [dim];
        Eps = eps;
        weight = new Parameter(ones([dim], dtype: dtype, device: device));
        bias = new Parameter(zeros([dim], dtype: dtype, device: device));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => nn.functional.layer_norm(input, _shape, weight, bias, Eps);
}

/// <summary>
/// Root-mean-square normalisation, <c>weight · x / √(mean(x²) + eps)</c>, computed in fp32 and cast back before the
/// scale (as Hugging Face's <c>LlamaRMSNorm</c>). With <see cref="UnitOffset"/> the scale is <c>1 + weight</c> and is
/// applied in fp32 before the cast (as <c>GemmaRMSNorm</c>; the weight then starts at zeros).
/// </summary>
public sealed class RmsNorm : DslModule<Tensor, Tensor>
{
    /// <summary>Scale, <c>[Dim]</c>.</summary>
    public Parameter weight { get; private set => field = SetParameter("weight", field, value); }

    /// <summary>Stability term.</summary>
    public double Eps { get; }

    /// <summary>Whether the scale is <c>1 + weight</c> (Gemma) rather than <c>weight</c>.</summary>
    public bool UnitOffset { get; }

    /// <summary>Creates an RMS norm over a last dimension of size <paramref name="dim"/>.</summary>
    public RmsNorm(long dim, double eps = 1e-6, Device? device = null, ScalarType? dtype = null, bool unitOffset = false) : base(nameof(RmsNorm))
    {
        Eps = eps;
        UnitOffset = unitOffset;
        weight = new Parameter(unitOffset ? zeros([dim], dtype: dtype, device: device) : ones([dim], dtype: dtype, device: device));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to_type(ScalarType.Float32);
        var normed = x * rsqrt(x.pow(2).mean([-1], keepdim: true) + Eps);
        var result = UnitOffset
            ? (normed * (weight.to_type(ScalarType.Float32) + 1.0)).to_type(input.dtype)   // Gemma: (x · (1 + w)) in fp32, then cast
            : weight * normed.to_type(input.dtype);                                        // Llama: cast, then w · x
        return result.MoveToOuterDisposeScope();
    }
}

/// <summary>Zeroes elements with probability <c>P</c> while training (scaling the rest by 1/(1-P)); identity in eval mode.</summary>
public sealed class Dropout : DslModule<Tensor, Tensor>
{
    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }

    /// <summary>Creates a dropout layer.</summary>
    public Dropout(double p) : base(nameof(Dropout)) => P = p;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) =>
        training && P > 0 ? nn.functional.dropout(input, P, training: true) : input.alias();
}
