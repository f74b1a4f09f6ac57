using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

/// <summary>
/// A frozen weight held in a quantized form (<see cref="Nf4Weight"/>, <see cref="Int8Weight"/>) and dequantized on
/// demand with vectorised torch operations. It is not a parameter: it never requires a gradient, and an optimizer
/// never sees it. <see cref="FrozenLinear"/> computes a linear layer with it.
/// </summary>
public abstract class QuantizedWeight : IDisposable
{
    /// <summary>The floating-point dtypes a weight may be quantized from (bitsandbytes accepts the same three).</summary>
    public static IReadOnlyList<ScalarType> SupportedDtypes { get; } = [ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16];

    readonly long[] _shape;

    /// <summary>Records the shape and dtype of the weight that was quantized.</summary>
    protected QuantizedWeight(long[] shape, ScalarType dtype)
    {
        _shape = shape;
        DType = dtype;
    }

    /// <summary>The shape of the original weight (for a linear layer <c>[out, in]</c>).</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Number of values of the original weight.</summary>
    public long Count => _shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The original weight's dtype: what <see cref="Dequantize"/> returns unless told otherwise.</summary>
    public ScalarType DType { get; }

    /// <summary>The device the quantized storage lives on.</summary>
    public abstract Device Device { get; }

    /// <summary>Bytes of every tensor this weight holds (codes, scales, code maps).</summary>
    public long ByteSize => StoredTensors.Sum(t => t.numel() * t.ElementSize);

    /// <summary>The tensors this weight holds, for <see cref="ByteSize"/> and <see cref="Dispose"/>.</summary>
    protected abstract IEnumerable<Tensor> StoredTensors { get; }

    /// <summary>
    /// The weight reconstructed from its codes, shape <see cref="Shape"/>, in <paramref name="dtype"/> (default
    /// <see cref="DType"/>): values are computed in float32 and rounded once to the requested dtype. A new tensor that
    /// does not require a gradient.
    /// </summary>
    public abstract Tensor Dequantize(ScalarType? dtype = null);

    /// <summary>
    /// The tensors of this weight under the names Hugging Face gives them in a saved bitsandbytes state dict, each
    /// prefixed with <paramref name="prefix"/> (the module's name with its trailing dot, e.g.
    /// <c>model.layers.0.self_attn.q_proj.</c>). The tensors are this weight's own (not copies).
    /// </summary>
    public abstract IReadOnlyList<KeyValuePair<string, Tensor>> ToStateDict(string prefix);

    /// <summary>A copy of this weight on <paramref name="device"/>.</summary>
    public abstract QuantizedWeight To(Device device);

    /// <summary>Frees the stored tensors.</summary>
    public void Dispose()
    {
        foreach (var stored in StoredTensors) stored.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Refuses a weight that cannot be quantized, naming what is wrong.</summary>
    protected static void RequireQuantizable(Tensor weight, string scheme)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (!SupportedDtypes.Contains(weight.dtype))
            throw new ArgumentException(
                $"{scheme} quantization takes a float32, float16 or bfloat16 weight; this one is {weight.dtype}. Convert it first.",
                nameof(weight));
        if (weight.numel() == 0)
            throw new ArgumentException($"{scheme} quantization needs a weight with at least one value; this one is empty.", nameof(weight));
        using var finite = isfinite(weight).all();
        if (!finite.item<bool>())
            throw new ArgumentException(
                $"The weight has NaN or infinite values; {scheme} codes cannot represent them. Check the checkpoint it came from.",
                nameof(weight));
    }
}
