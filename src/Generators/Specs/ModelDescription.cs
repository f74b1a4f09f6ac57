namespace ModelDsl.Generators.Specs;

/// <summary>What a layer is, as far as PEFT methods care.</summary>
internal enum LayerType
{
    /// <summary><c>[out, in]</c> weight.</summary>
    Linear,
    /// <summary>GPT-2's <c>[in, out]</c> weight (PEFT's fan_in_fan_out).</summary>
    Conv1D,
    Embedding,
    LayerNorm,
    RmsNorm,
    /// <summary>A container (a block, an attention or MLP module, a list).</summary>
    Container,
    Dropout,
}

/// <summary>One module of a model: its state-dict name, how generated code reaches it, and its shape when it is affine.</summary>
/// <param name="Name">Full state-dict name, e.g. <c>transformer.h.0.attn.c_attn</c>.</param>
/// <param name="AccessPath">A C# expression relative to the model, e.g. <c>transformer.h[0].attn.c_attn</c>.</param>
/// <param name="BlockIndex">Index of the repeated block it lives in, or -1.</param>
/// <param name="IsReachable">Every member on the path is accessible from another class of the assembly.</param>
/// <param name="IsTied">The layer shares another layer's weight.</param>
internal sealed record LayerEntry(string Name, string AccessPath, LayerType Type, long InFeatures, long OutFeatures, int BlockIndex, bool IsReachable, bool IsTied)
{
    public bool IsAffine => Type is LayerType.Linear or LayerType.Conv1D;

    /// <summary>The last segment of the name (<c>c_attn</c>).</summary>
    public string ShortName => Name.Substring(Name.LastIndexOf('.') + 1);
}

/// <summary>One parameter of a model.</summary>
/// <param name="Name">Full state-dict name, e.g. <c>transformer.h.0.attn.c_attn.bias</c>.</param>
/// <param name="AccessPath">A C# expression relative to the model, e.g. <c>transformer.h[0].attn.c_attn.bias</c>.</param>
internal sealed record ParameterRef(string Name, string AccessPath, long ElementCount, bool IsBias, bool IsReachable);

/// <summary>Everything a setup needs to know about the model it fine-tunes, as data.</summary>
/// <param name="TypeName">The model's fully qualified name.</param>
/// <param name="IsCausalLanguageModel">The model takes token ids and returns next-token logits through an embedding entry point (the families).</param>
/// <param name="Shape">A family model's shape (what the memory rule counts activations from); null for a declared model.</param>
internal sealed record ModelDescription(
    string TypeName,
    bool IsCausalLanguageModel,
    long TotalParameters,
    int Dim,
    int Context,
    int Heads,
    int BlockCount,
    EquatableArray<LayerEntry> Layers,
    EquatableArray<ParameterRef> Parameters,
    ModelDsl.Families.FamilyShape? Shape = null)
{
    /// <summary>The family of a family model; null for a declared <c>[Model]</c>.</summary>
    public ModelDsl.Families.FamilyKind? Family => Shape?.Family;
}
