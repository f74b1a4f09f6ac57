using ModelDsl.Layers;

namespace ModelDsl.Peft;

/// <summary>
/// Registers the active bottleneck adapter of each slot as a child named after the slot's path with dots as
/// underscores (blocks do not register what is put in their adapter slots), so the setup's parameters, state dict
/// and device moves include the adapters: keys look like <c>bottleneck_adapters.transformer_h_0_attention_adapter.down.weight</c>.
/// </summary>
internal sealed class BottleneckAdapterRegistry : DslModule
{
    /// <summary>The setup's child name for this registry.</summary>
    public const string Name = "bottleneck_adapters";

    public BottleneckAdapterRegistry() : base(nameof(BottleneckAdapterRegistry)) { }

    /// <summary>Registers <paramref name="adapter"/> for <paramref name="slotPath"/>, replacing the previous one.</summary>
    public void Set(string slotPath, BottleneckAdapter adapter)
    {
        var name = slotPath.Replace('.', '_');
        if (_internal_submodules.ContainsKey(name)) _internal_submodules.Remove(name);
        register_module(name, adapter);
    }
}
