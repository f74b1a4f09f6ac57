using System;
using System.Collections.Generic;
using ModelDsl.Layers;
using TorchSharp.Modules;
using ModelDsl.Models;

namespace ModelDsl.Peft;

/// <summary>A layer that hosts LoRA adapters, with its state-dict path in the base model.</summary>
/// <param name="Path">E.g. <c>transformer.h.0.attn.c_attn</c>.</param>
/// <param name="Layer">The host layer.</param>
public sealed record LoraTarget(string Path, LinearBase Layer);

/// <summary>A block slot that holds a bottleneck adapter, with the adapters created for it per adapter name.</summary>
public sealed class BottleneckSlot
{
    readonly Action<BottleneckAdapter?> _assign;
    readonly Dictionary<string, BottleneckAdapter> _adapters = new(StringComparer.Ordinal);

    internal BottleneckSlot(string path, Action<BottleneckAdapter?> assign)
    {
        Path = path;
        _assign = assign;
    }

    /// <summary>The adapter's path, e.g. <c>transformer.h.0.attention_adapter</c>; its tensors are <c>Path.down.weight</c> etc.</summary>
    public string Path { get; }

    /// <summary>The adapters of this slot, by adapter name.</summary>
    public IReadOnlyDictionary<string, BottleneckAdapter> Adapters => _adapters;

    internal void Add(string adapterName, BottleneckAdapter adapter) => _adapters.Add(adapterName, adapter);

    internal void Assign(BottleneckAdapter? adapter) => _assign(adapter);
}

/// <summary>A base-model parameter that a selective or full setup trains, with its state-dict name.</summary>
/// <param name="Path">E.g. <c>transformer.h.0.attn.c_attn.bias</c>.</param>
/// <param name="Parameter">The parameter itself.</param>
public sealed record SelectedParameter(string Path, Parameter Parameter);
