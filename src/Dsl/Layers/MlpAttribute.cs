namespace ModelDsl;

/// <summary>The activation between the two projections of an <see cref="MlpAttribute"/> layer.</summary>
public enum Activation
{
    /// <summary>Exact GELU (erf).</summary>
    Gelu,
    /// <summary>GELU with the tanh approximation (GPT-2's "gelu_new").</summary>
    GeluTanh,
    /// <summary>Rectified linear unit.</summary>
    Relu,
    /// <summary>SiLU (swish).</summary>
    Silu,
}

/// <summary>
/// A two-layer feed-forward block: <c>c_proj(activation(c_fc(x)))</c>, with <c>c_fc</c> <c>[hidden, dim]</c> and
/// <c>c_proj</c> <c>[dim, hidden]</c>, both with bias. The property type is <c>ModelDsl.Layers.Mlp</c>.
/// </summary>
public sealed class MlpAttribute : LayerAttribute
{
    /// <summary>Declares a feed-forward block.</summary>
    /// <param name="dim">Input and output width.</param>
    /// <param name="hidden">Hidden width (typically 4 × <paramref name="dim"/>).</param>
    /// <param name="activation">The activation between the projections.</param>
    public MlpAttribute(int dim, int hidden, Activation activation = Activation.GeluTanh)
    {
        Dim = dim;
        Hidden = hidden;
        Activation = activation;
    }

    /// <summary>Input and output width.</summary>
    public int Dim { get; }

    /// <summary>Hidden width.</summary>
    public int Hidden { get; }

    /// <summary>The activation between the projections.</summary>
    public Activation Activation { get; }
}
