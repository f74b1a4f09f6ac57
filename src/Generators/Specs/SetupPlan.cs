namespace ModelDsl.Generators.Specs;

/// <summary>A valid setup, resolved: which layers get LoRA, which parameters train, and the counts.</summary>
internal sealed record SetupPlan(
    SetupSpec Spec,
    ModelDescription Model,
    LoraSpec? Lora,
    EquatableArray<LayerEntry> LoraTargets,
    EquatableArray<ParameterRef> SelectedParameters,
    bool FullFineTune,
    bool BitFit,
    SoftPromptSpec? Prompt,
    AdapterSpec? Adapter,
    long TrainableParameters,
    long TotalParameters)
{
    /// <summary>The layers <c>[Quantize]</c> stores quantized (empty without it); <see cref="SetupSpec.Quantize"/> says how.</summary>
    public EquatableArray<LayerEntry> QuantizedLayers { get; init; } = EquatableArray<LayerEntry>.Empty;

    /// <summary>PEFT's default LoRA targets per family (the shared family table; a custom model takes GPT-2's).</summary>
    public static EquatableArray<string> DefaultTargets(ModelDsl.Families.FamilyKind? family) =>
        ModelDsl.Families.FamilyTraits.Of(family ?? ModelDsl.Families.FamilyKind.Gpt2).DefaultLoraTargets.ToEquatableArray();

    /// <summary>The number of bottleneck adapters: one or two per block.</summary>
    public int AdapterCount => CountAdapters(Adapter, Model);

    /// <summary>Bottleneck adapters <paramref name="adapter"/> puts into <paramref name="model"/>: one per block (Pfeiffer) or two (Houlsby).</summary>
    public static int CountAdapters(AdapterSpec? adapter, ModelDescription model) =>
        adapter is null ? 0 : model.BlockCount * (adapter.Placement == "Pfeiffer" ? 1 : 2);
}
