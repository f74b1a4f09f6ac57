using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl.IO;

/// <summary>The tensors and metadata read from one safetensors file. Disposing it disposes the tensors.</summary>
public sealed class SafetensorsContent : IDisposable
{
    readonly OrderedDictionary<string, Tensor> _tensors;

    internal SafetensorsContent(OrderedDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        _tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors by name, enumerated in the order the file's header lists them.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>The header's <c>__metadata__</c> (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        foreach (var tensor in _tensors.Values) tensor.Dispose();
        _tensors.Clear();
    }
}
