using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// GPT-2's "Conv1D": an affine layer <c>y = x·W + b</c> with the weight stored <c>[in, out]</c>
/// (the transpose of <see cref="Linear"/>), so GPT-2 checkpoints load key for key and as stored.
/// Initialised N(0, 0.02) with a zero bias, as Hugging Face's GPT-2.
/// </summary>
public sealed class Conv1D : LinearBase
{
    /// <inheritdoc/>
    public override long InFeatures { get; }

    /// <inheritdoc/>
    public override long OutFeatures { get; }

    /// <inheritdoc/>
    public override bool WeightIsInputMajor => true;

    /// <summary>Creates the layer with weight <c>[inFeatures, outFeatures]</c> and bias <c>[outFeatures]</c>.</summary>
    public Conv1D(long inFeatures, long outFeatures, Device? device = null, ScalarType? dtype = null, double initStd = 0.02)
        : base(nameof(Conv1D))
    {
        if (inFeatures < 1 || outFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Conv1D sizes must be ≥ 1, got [{inFeatures}, {outFeatures}].");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(empty([inFeatures, outFeatures], dtype: dtype, device: device));
        bias = new Parameter(zeros([outFeatures], dtype: dtype, device: device));
        using (no_grad()) nn.init.normal_(weight, 0, initStd);
    }

    /// <inheritdoc/>
    protected override Tensor FloatForward(Tensor input)
    {
        // One addmm adds the bias inside the product, instead of a second pass over the (..., out) result.
        using var flat = input.reshape(-1, InFeatures);            // (N, in)
        using var product = bias is null ? flat.mm(weight) : addmm(bias, flat, weight, beta: 1, alpha: 1);   // (N, out)
        var shape = input.shape;
        shape[^1] = OutFeatures;
        return product.view(shape);                                 // (..., out)
    }
}
