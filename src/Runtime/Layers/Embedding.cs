using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>A lookup table: row <c>i</c> of <c>weight</c> <c>[Count, Dim]</c> for each id <c>i</c>. Initialised N(0, 1) as PyTorch.</summary>
public sealed class Embedding : DslModule<Tensor, Tensor>
{
    /// <summary>The table, <c>[Count, Dim]</c>.</summary>
    public Parameter weight { get; private set => field = SetParameter("weight", field, value); }

    /// <summary>Number of rows.</summary>
    public long Count { get; }

    /// <summary>Width of a row.</summary>
    public long Dim { get; }

    /// <summary>Creates a table of <paramref name="count"/> rows of width <paramref name="dim"/>.</summary>
    public Embedding(long count, long dim, Device? device = null, ScalarType? dtype = null) : base(nameof(Embedding))
    {
        if (count < 1 || dim < 1)
            throw new ArgumentOutOfRangeException(nameof(count), $"Embedding sizes must be ≥ 1, got [{count}, {dim}].");
        Count = count;
        Dim = dim;
        weight = new Parameter(empty([count, dim], dtype: dtype, device: device));
        using (no_grad()) nn.init.normal_(weight);
    }

    /// <summary>Looks up <paramref name="ids"/> (any shape of int64) → <c>[..., Dim]</c>.</summary>
    public override Tensor forward(Tensor ids) => weight[ids];
}
