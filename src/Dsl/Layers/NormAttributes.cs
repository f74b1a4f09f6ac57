using ModelDsl.Shared;

namespace ModelDsl;

/// <summary>Layer normalisation over the last dimension, with a weight and a bias. The property type is <c>ModelDsl.Layers.LayerNorm</c>.</summary>
public sealed class LayerNormAttribute : LayerAttribute
{
    /// <summary>Declares a layer norm.</summary>
    /// <param name="dim">Size of the normalised (last) dimension.</param>
    public LayerNormAttribute(int dim) => Dim = dim;

    /// <summary>Size of the normalised dimension.</summary>
    public int Dim { get; }

    /// <summary>Added to the variance for numerical stability (default 1e-5, as PyTorch).</summary>
    public double Eps { get; set; } = DslDefaults.LayerNormEps;
}

/// <summary>Root-mean-square normalisation with a weight and no bias, computed in fp32. The property type is <c>ModelDsl.Layers.RmsNorm</c>.</summary>
public sealed class RmsNormAttribute : LayerAttribute
{
    /// <summary>Declares an RMS norm.</summary>
    /// <param name="dim">Size of the normalised (last) dimension.</param>
    public RmsNormAttribute(int dim) => Dim = dim;

    /// <summary>Size of the normalised dimension.</summary>
    public int Dim { get; }

    /// <summary>Added to the mean square for numerical stability (default 1e-6).</summary>
    public double Eps { get; set; } = DslDefaults.RmsNormEps;
}

/// <summary>Dropout with probability <c>p</c> while training. It has no parameters. The property type is <c>ModelDsl.Layers.Dropout</c>.</summary>
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Declares a dropout layer.</summary>
    /// <param name="p">Probability of zeroing an element, in [0, 1).</param>
    public DropoutAttribute(double p) => P = p;

    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }
}
