namespace ModelDsl;

/// <summary>A lookup table of <c>count</c> vectors of size <c>dim</c>. The property type is <c>ModelDsl.Layers.Embedding</c>.</summary>
public sealed class EmbeddingAttribute : LayerAttribute
{
    /// <summary>Declares an embedding table.</summary>
    /// <param name="count">Number of rows, e.g. the vocabulary size or the context length (≥ 1).</param>
    /// <param name="dim">Size of each vector (≥ 1).</param>
    public EmbeddingAttribute(int count, int dim)
    {
        Count = count;
        Dim = dim;
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Size of each vector.</summary>
    public int Dim { get; }
}
