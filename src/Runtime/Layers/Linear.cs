using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// A fully connected layer, <c>y = x Wᵀ + b</c>, with <c>weight</c> <c>[out, in]</c> as <c>torch.nn.Linear</c>.
/// Initialised as PyTorch does: W ~ Kaiming-uniform(a = √5), b ~ U(±1/√in).
/// </summary>
public sealed class Linear : LinearBase
{
    /// <inheritdoc/>
    public override long InFeatures { get; }

    /// <inheritdoc/>
    public override long OutFeatures { get; }

    /// <inheritdoc/>
    public override bool WeightIsInputMajor => false;

    /// <summary>Whether <see cref="LinearBase.weight"/> belongs to another layer (it is then not registered here).</summary>
    public bool IsTied => _tiedTo is not null;

    readonly Embedding? _tiedTo;

    /// <inheritdoc/>
    protected override Parameter? TiedWeight => _tiedTo?.weight;

    /// <summary>Creates a layer with its own, freshly initialised weight.</summary>
    public Linear(long inFeatures, long outFeatures, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Linear))
        
    {
        if (inFeatures < 1 || outFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear sizes must be ≥ 1, got [{outFeatures}, {inFeatures}].");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(empty([outFeatures, inFeatures], dtype: dtype, device: device));
        using (no_grad())
        {
            nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        }
        if (hasBias)
        {
            bias = new Parameter(empty([outFeatures], dtype: dtype, device: device));
            var bound = 1.0 / Math.Sqrt(inFeatures);
            using (no_grad()) nn.init.uniform_(bias, -bound, bound);
        }
    }

    Linear(Embedding embedding) : base(nameof(Linear))
    {
        _tiedTo = embedding;
        OutFeatures = embedding.Count;
        InFeatures = embedding.Dim;
    }

    /// <summary>
    /// A bias-free layer that uses the weight of <paramref name="embedding"/> (<c>[Count, Dim]</c> as <c>[out, in]</c>),
    /// e.g. an output head tied to the token embedding. The weight stays registered only in the embedding, so it is
    /// counted, saved and optimised once, as PyTorch does for tied weights; it is read from the embedding on every use,
    /// so the tie holds after the embedding is moved (<c>to(device)</c>) or loaded.
    /// </summary>
    public static Linear TiedTo(Embedding embedding) => new(embedding);

    /// <inheritdoc/>
    protected override Tensor FloatForward(Tensor input) =>
        FewRowProduct.Applies(input, weight) ? FewRowProduct.Forward(input, weight, bias) : nn.functional.linear(input, weight, bias);
}
