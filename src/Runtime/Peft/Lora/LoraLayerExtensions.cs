using System;
using System.Collections.Generic;
using ModelDsl.Layers;

namespace ModelDsl.Peft;

/// <summary>LoRA as members of the layer it adapts: <c>layer.AddLora(…)</c>, <c>layer.ActiveLora</c>, … (see <see cref="LoraLayer"/>).</summary>
public static class LoraLayerExtensions
{
    static readonly IReadOnlyDictionary<string, LoraAdapter> None = new Dictionary<string, LoraAdapter>();

    extension(LinearBase layer)
    {
        /// <summary>Every LoRA adapter this layer hosts, by name.</summary>
        public IReadOnlyDictionary<string, LoraAdapter> LoraAdapters => LoraLayer.Find(layer)?.Adapters ?? None;

        /// <summary>The adapter applied in the forward, or <see langword="null"/>.</summary>
        public LoraAdapter? ActiveLora => LoraLayer.Find(layer)?.Active;

        /// <summary>What <see cref="MergeLora"/> folded into the weight, or <see langword="null"/> when unmerged.</summary>
        public LoraMergeRecord? MergedLora => LoraLayer.Find(layer)?.Merged;

        /// <summary>Whether the LoRA branch is switched off by <see cref="DisableLora"/>.</summary>
        public bool IsLoraDisabled => LoraLayer.Find(layer)?.IsDisabled ?? false;

        /// <summary>Creates a LoRA adapter on this layer (<see cref="LoraLayer.Add"/>).</summary>
        public LoraAdapter AddLora(string adapterName, LoraSettings settings) => LoraLayer.Of(layer).Add(adapterName, settings);

        /// <summary>Makes <paramref name="adapterName"/> the active adapter (<see cref="LoraLayer.Use"/>).</summary>
        public void UseLora(string adapterName) => LoraLayer.Of(layer).Use(adapterName);

        /// <summary>Folds the active adapter into the weight (<see cref="LoraLayer.Merge"/>).</summary>
        public void MergeLora() => LoraLayer.Of(layer).Merge();

        /// <summary>Subtracts the merged adapter from the weight again (<see cref="LoraLayer.Unmerge"/>).</summary>
        public void UnmergeLora() => LoraLayer.Find(layer)?.Unmerge();

        /// <summary>Switches the LoRA branch off until the scope ends (<see cref="LoraLayer.Disable"/>).</summary>
        public IDisposable DisableLora() => LoraLayer.Of(layer).Disable();
    }
}
