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
    public override Parameter weight { get; }

    /// <inheritdoc/>
    public override Parameter? bias { get; }

    /// <inheritdoc/>
    public override long InFeatures { get; }

    /// <inheritdoc/>
    public override long OutFeatures { get; }

    /// <inheritdoc/>
    public override bool WeightIsInputMajor => false;

    /// <summary>Whether <see cref="weight"/> belongs to another layer (it is then not registered here).</summary>
    public bool IsTied { get; }

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
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = new Parameter(empty([outFeatures], dtype: dtype, device: device));
            var bound = 1.0 / Math.Sqrt(inFeatures);
            using (no_grad()) nn.init.uniform_(bias, -bound, bound);
            register_parameter("bias", bias);
        }
    }

    Linear(Parameter sharedWeight) : base(nameof(Linear)) 
    {
        weight = sharedWeight;
        OutFeatures = sharedWeight.shape[0];
        InFeatures = sharedWeight.shape[1];
        IsTied = true;
    }

    /// <summary>
    /// A bias-free layer that uses <paramref name="sharedWeight"/> (<c>[out, in]</c>), e.g. an output head tied
    /// to the token embedding. The weight stays registered only where it was created, so it is counted,
    /// saved and optimised once, as PyTorch does for tied weights.
    /// </summary>
    public static Linear TiedTo(Parameter sharedWeight) => new(sharedWeight);

    /// <inheritdoc/>
    protected override Tensor BaseForward(Tensor input) => nn.functional.linear(input, weight, bias);
}
