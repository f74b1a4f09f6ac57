using System;
using ModelDsl.Layers.Quantization;
using TorchSharp;
using static TorchSharp.torch;
using TorchSharp.Modules;

namespace ModelDsl.Layers;

// A layer whose frozen weight is stored quantized (QLoRA's base): the float parameter is gone and the forward goes
// through FrozenLinear, dequantizing to the input's dtype on the fly.
public abstract partial class LinearBase
{
    /// <summary>
    /// The weight in quantized storage, always <c>[OutFeatures, InFeatures]</c> (an input-major weight is stored
    /// transposed, as transformers does for GPT-2's Conv1D), or <see langword="null"/> while the layer has a float
    /// <see cref="weight"/>.
    /// </summary>
    public QuantizedWeight? Quantized { get; private set; }

    /// <summary>The device of the layer's weight, float or quantized.</summary>
    public Device WeightDevice => Quantized?.Device ?? weight.device;

    /// <summary>The dtype of the layer's weight (a quantized weight's: the dtype it was quantized from).</summary>
    public ScalarType WeightDType => Quantized?.DType ?? weight.dtype;

    /// <summary>
    /// Replaces the float weight by its quantized codes: the <c>weight</c> parameter is unregistered and freed, and the
    /// forward computes <c>x · dequant(W)ᵀ + b</c>. The bias stays a float parameter.
    /// </summary>
    /// <param name="settings">How to quantize.</param>
    /// <param name="name">The layer's state-dict name, for messages.</param>
    /// <exception cref="InvalidOperationException">The layer is already quantized, is tied to another layer's weight, or its weight trains.</exception>
    public void Quantize(QuantizationSettings settings, string name)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (Quantized is not null) throw new InvalidOperationException($"'{name}' is already quantized.");
        if (TiedWeight is not null)
            throw new InvalidOperationException($"'{name}' shares its weight with another layer (a tied head); quantizing it would change that layer too.");
        var current = weight;
        if (current.requires_grad)
            throw new InvalidOperationException(
                $"'{name}.weight' requires a gradient, but a quantized weight is frozen codes without one; freeze it before quantizing.");
        using (no_grad())
        using (var rows = WeightIsInputMajor ? current.detach().t().contiguous() : current.detach())   // (out, in)
            Quantized = settings.Quantize(rows, name);
        weight = null!;   // unregisters and frees the float parameter
    }

    /// <summary>
    /// Makes the layer a plain float layer again with the weight its codes decode to (in the dtype it was quantized
    /// from), frozen. Does nothing when the layer is not quantized.
    /// </summary>
    public void Dequantize()
    {
        if (Quantized is null) return;
        using var rows = Quantized.Dequantize(ScalarType.Float32);                               // (out, in)
        ReplaceQuantized(rows).Dispose();
    }

    /// <summary>
    /// Gives the layer the float weight <paramref name="rows"/> (<c>[out, in]</c>, cast to the quantized weight's
    /// dtype), frozen, and returns the quantized weight it replaces, which the caller now owns.
    /// </summary>
    internal QuantizedWeight ReplaceQuantized(Tensor rows)
    {
        var quantized = Quantized ?? throw new InvalidOperationException("The layer is not quantized.");
        using (no_grad())
        {
            using var typed = rows.to_type(quantized.DType);
            var stored = (WeightIsInputMajor ? typed.t() : typed.alias()).contiguous();            // the layer's layout
            var parameter = new Parameter(stored, requires_grad: false);
            parameter.DetachFromDisposeScope();   // the caller's scope must not free the layer's new weight
            weight = parameter;
        }
        Quantized = null;
        return quantized;
    }

    /// <summary>Puts <paramref name="quantized"/> back in place of the float weight (which is freed).</summary>
    internal void RestoreQuantized(QuantizedWeight quantized)
    {
        ArgumentNullException.ThrowIfNull(quantized);
        if (Quantized is not null) throw new InvalidOperationException("The layer is already quantized.");
        weight = null!;
        Quantized = quantized;
    }

    void MoveQuantized(Device? device)
    {
        if (Quantized is not { } quantized || device is null || (quantized.Device.type == device.type && quantized.Device.index == device.index)) return;
        Quantized = quantized.To(device);
        quantized.Dispose();
    }

    static InvalidOperationException QuantizedWeightMissing() => new(
        "This layer's weight is stored quantized (see Quantized); it has no float parameter. Dequantize() the layer, or merge and unload the setup, for a float weight.");
}
