using System;
using ModelDsl.Shared;

namespace ModelDsl;

/// <summary>Where bottleneck adapters go in each transformer block.</summary>
public enum AdapterPlacement
{
    /// <summary>After the attention sub-layer and after the MLP (Houlsby et al., 2019).</summary>
    Houlsby,
    /// <summary>After the MLP only (Pfeiffer et al., 2020).</summary>
    Pfeiffer,
}

/// <summary>
/// Bottleneck adapters: in each block, <c>h + up(act(down(h)))</c> with <c>down</c> to <see cref="Bottleneck"/>
/// and <c>up</c> zero-initialised, so a fresh adapter changes nothing. The model stays frozen.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class AdapterAttribute : Attribute
{
    /// <summary>Bottleneck width (≥ 1 and smaller than the model width; default 64).</summary>
    public int Bottleneck { get; set; } = DslDefaults.AdapterBottleneck;

    /// <summary>Where the adapters go (default <see cref="AdapterPlacement.Houlsby"/>).</summary>
    public AdapterPlacement Placement { get; set; } = AdapterPlacement.Houlsby;
}
