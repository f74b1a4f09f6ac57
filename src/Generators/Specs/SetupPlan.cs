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
    /// <summary>PEFT's default LoRA targets per family.</summary>
    public static EquatableArray<string> DefaultTargets(ModelFamily family) => family switch
    {
        ModelFamily.Llama => new[] { "q_proj", "v_proj" }.ToEquatableArray(),
        _ => new[] { "c_attn" }.ToEquatableArray(),
    };

    /// <summary>The number of bottleneck adapters: one or two per block.</summary>
    public int AdapterCount => Adapter is null ? 0 : Model.BlockCount * (Adapter.Placement == "Pfeiffer" ? 1 : 2);
}
