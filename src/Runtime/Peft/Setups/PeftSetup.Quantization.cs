using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Layers.Quantization;

namespace ModelDsl.Peft;

// A quantized frozen base ([Quantize]; with LoRA, QLoRA): the generated constructor quantizes each linear layer of the
// blocks before it attaches adapters.
public abstract partial class PeftSetup
{
    readonly List<QuantizedLayer> _quantizedLayers = [];

    /// <summary>The base layers this setup stores quantized, in the order it quantized them.</summary>
    public IReadOnlyList<QuantizedLayer> QuantizedLayers => _quantizedLayers;

    /// <summary>
    /// Replaces the frozen float weight of <paramref name="layer"/> (state-dict path <paramref name="path"/>) by its
    /// quantized codes (<see cref="LinearBase.Quantize"/>). The layer's bias, and every adapter on top, stay float.
    /// </summary>
    /// <exception cref="InvalidOperationException">A full fine-tuning setup (it trains the weight), or the layer is already quantized.</exception>
    protected void QuantizeBase(LinearBase layer, string path, QuantizationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(settings);
        if (Config is FullFineTuneConfig)
            throw new InvalidOperationException(
                $"Full fine-tuning trains '{path}.weight', but a quantized weight is frozen codes without a gradient; train adapters on a quantized base instead.");
        layer.Quantize(settings, path);
        _quantizedLayers.Add(new QuantizedLayer(path, layer, settings));
    }

    // The quantized weights are not parameters any more, but they are the base's: counted as the values they stand for,
    // as PEFT counts a 4-bit base in its parameter summary.
    long CountQuantizedValues() => _quantizedLayers.Sum(q => q.Layer.Quantized?.Count ?? 0);

    // MergeAndUnload hands back a plain float base: the layers still quantized are decoded for good.
    void DequantizeAll()
    {
        foreach (var quantized in _quantizedLayers) quantized.Layer.Dequantize();
        _quantizedLayers.Clear();
    }
}

/// <summary>A base layer a setup stores quantized, with its state-dict path and how it was quantized.</summary>
/// <param name="Path">E.g. <c>transformer.h.0.attn.c_attn</c>.</param>
/// <param name="Layer">The layer; its <see cref="LinearBase.Quantized"/> holds the codes (null while a LoRA merge stands in).</param>
/// <param name="Settings">How it was quantized.</param>
public sealed record QuantizedLayer(string Path, LinearBase Layer, QuantizationSettings Settings);
