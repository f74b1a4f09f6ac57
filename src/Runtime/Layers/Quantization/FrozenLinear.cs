using System;
using System.Collections.Generic;
using ModelDsl.Layers.Autograd;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

/// <summary>
/// A linear map with a frozen quantized weight, <c>y = x · dequant(W)ᵀ + b</c> with W <c>[out, in]</c>, as
/// bitsandbytes' <c>matmul_4bit</c> computes it for QLoRA: the weight is dequantized to the input's dtype for the
/// product and dropped right after, and the backward pass dequantizes it again for <c>∂L/∂x = ∂L/∂y · dequant(W)</c>
/// instead of keeping the dequantized weight alive between forward and backward. Gradients flow to the input (and to
/// the bias when it requires one), never to the weight.
/// </summary>
public static class FrozenLinear
{
    /// <summary>
    /// <c>[..., in]</c> → <c>[..., out]</c> in <paramref name="input"/>'s dtype (the compute dtype); a bias of another
    /// dtype is cast to it.
    /// </summary>
    public static Tensor Forward(Tensor input, QuantizedWeight weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Shape.Count != 2)
            throw new ArgumentException($"A linear weight is 2-D [out, in]; this quantized weight has shape [{string.Join(", ", weight.Shape)}].", nameof(weight));
        long outFeatures = weight.Shape[0], inFeatures = weight.Shape[1];
        if (input.dim() < 1 || input.shape[^1] != inFeatures)
            throw new ArgumentException(
                $"The input's last dimension must be the weight's input width {inFeatures}; the input has shape [{string.Join(", ", input.shape)}].",
                nameof(input));
        if (bias is not null && (bias.dim() != 1 || bias.shape[0] != outFeatures))
            throw new ArgumentException($"The bias must have shape [{outFeatures}]; it has [{string.Join(", ", bias.shape)}].", nameof(bias));

        var recordsGradient = is_grad_enabled() && (input.requires_grad || bias is { requires_grad: true });
        if (!recordsGradient) return Compute(input, weight, bias);
        CustomFunctionTensors.ReleaseParked();
        var call = new FrozenLinearCall(weight, input.requires_grad, bias is { requires_grad: true });
        try
        {
            return FrozenLinearFunction.apply(input, call, bias);
        }
        finally
        {
            call.Output.Release();
        }
    }

    /// <summary>The product itself; the dequantized weight is freed before returning.</summary>
    internal static Tensor Compute(Tensor input, QuantizedWeight weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        var dequantized = weight.Dequantize(input.dtype);                                        // (out, in)
        var typedBias = bias is null || bias.dtype == input.dtype ? bias : bias.to_type(input.dtype);
        return nn.functional.linear(input, dequantized, typedBias).MoveToOuterDisposeScope();    // (..., out)
    }
}

/// <summary>What the backward of one frozen linear call needs.</summary>
internal sealed class FrozenLinearCall(QuantizedWeight weight, bool inputNeedsGrad, bool biasNeedsGrad)
{
    public QuantizedWeight Weight { get; } = weight;
    public bool InputNeedsGrad { get; } = inputNeedsGrad;
    public bool BiasNeedsGrad { get; } = biasNeedsGrad;
    public ForwardOutputSlot Output { get; } = new();
}

/// <summary>The autograd function behind <see cref="FrozenLinear"/>: inputs <c>[x, call, bias]</c>, nothing saved but the call.</summary>
internal sealed class FrozenLinearFunction : autograd.SingleTensorFunction<FrozenLinearFunction>
{
    const string CallKey = "call";

    /// <inheritdoc/>
    public override string Name => nameof(FrozenLinearFunction);

    /// <summary>Applies the function.</summary>
    public static Tensor apply(Tensor input, FrozenLinearCall call, Tensor? bias) => apply([input, call, bias!]);

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var call = (FrozenLinearCall)vars[1];
        ctx.save_data(CallKey, call);
        var output = FrozenLinear.Compute((Tensor)vars[0], call.Weight, vars[2] as Tensor);
        call.Output.Raw = output;
        return output;
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        CustomFunctionTensors.Backward("a frozen quantized linear layer", grad_output, () =>
        {
            var call = (FrozenLinearCall)ctx.get_data(CallKey);
            Tensor? inputGrad = null, biasGrad = null;
            if (call.InputNeedsGrad)
            {
                var dequantized = call.Weight.Dequantize(grad_output.dtype);                       // (out, in)
                inputGrad = grad_output.matmul(dequantized);                                       // (..., in)
            }
            if (call.BiasNeedsGrad)
                biasGrad = grad_output.reshape(-1, grad_output.shape[^1]).sum([0]);                // (out)
            return [inputGrad, null, biasGrad];
        });
}
