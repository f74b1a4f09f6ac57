namespace ModelDsl.Generators.Specs;

/// <summary>One fine-tuning method attribute on a setup.</summary>
internal abstract record MethodSpec(string AttributeName);

internal sealed record FullFineTuneSpec() : MethodSpec("FullFineTune");

internal sealed record BitFitSpec() : MethodSpec("BitFit");

internal sealed record SelectiveSpec(EquatableArray<string> Train) : MethodSpec("Selective");

/// <param name="Targets">The declared target patterns, or <see langword="null"/> for the family default.</param>
/// <param name="Layers">The declared block indices, or <see langword="null"/> for all.</param>
internal sealed record LoraSpec(int Rank, double Alpha, double Dropout, EquatableArray<string>? Targets, EquatableArray<int>? Layers, bool UseRsLora)
    : MethodSpec("LoRA");

/// <param name="Init">The <c>PromptInit</c> member name.</param>
/// <param name="InitIsExplicit">Whether <c>Init</c> was written in the attribute.</param>
internal sealed record SoftPromptSpec(int Tokens, string Init, bool InitIsExplicit, string? InitText) : MethodSpec("SoftPrompt");

/// <param name="Placement">The <c>AdapterPlacement</c> member name.</param>
internal sealed record AdapterSpec(int Bottleneck, string Placement) : MethodSpec("Adapter");

/// <summary>An attribute of a method whose arguments are not constants yet.</summary>
internal sealed record IncompleteMethodSpec(string Name) : MethodSpec(Name);

/// <summary>A setup's <c>[Dpo]</c>.</summary>
/// <param name="Loss">The <c>DpoLossType</c> member name, or <see langword="null"/> when the value is not one of its members.</param>
internal sealed record DpoSpec(double Beta, double LabelSmoothing, string? Loss);

/// <summary>A setup's <c>[Quantize]</c>.</summary>
/// <param name="BlockSizeGiven">Whether <c>BlockSize</c> was written (an 8-bit base refuses it only then).</param>
/// <param name="DoubleQuantizationGiven">Whether <c>DoubleQuantization</c> was written.</param>
/// <param name="Constant">Every argument is a compile-time constant of its declared type.</param>
internal sealed record QuantizeSpec(int Bits, int BlockSize, bool DoubleQuantization, bool BlockSizeGiven, bool DoubleQuantizationGiven, bool Constant);

/// <summary>A <c>[FineTune&lt;TModel&gt;]</c> class.</summary>
/// <param name="ModelTypeName">How the user wrote TModel (for messages).</param>
/// <param name="Model">The model, or <see langword="null"/> when TModel is not a generated model, is an invalid one, or is a <c>[FromConfig]</c> model not read yet.</param>
/// <param name="ConfigModel">A <c>[FromConfig]</c> model, described once its file is read (<c>SetupParser.ResolveConfigModel</c>).</param>
internal sealed record SetupSpec(
    TypeLocation Type,
    bool DeclaresConstructor,
    string ModelTypeName,
    ModelDescription? Model,
    EquatableArray<MethodSpec> Methods,
    FromConfigSpec? ConfigModel = null)
{
    /// <summary>TModel, fully qualified (for the stub of an invalid setup).</summary>
    public string ModelType { get; init; } = "";

    /// <summary>TModel derives from TorchSharp's <c>nn.Module</c>, so a stub can still derive from <c>PeftSetup&lt;TModel&gt;</c>.</summary>
    public bool ModelIsModule { get; init; }

    /// <summary>TModel is a declared model with errors of its own (the first of them); the setup reports nothing itself.</summary>
    public InvalidReason? ModelInvalid { get; init; }

    /// <summary>The setup's <c>[Dpo]</c>, if any.</summary>
    public DpoSpec? Dpo { get; init; }

    /// <summary>The setup's <c>[Quantize]</c>, if any.</summary>
    public QuantizeSpec? Quantize { get; init; }

    /// <summary>The setup carries <c>[RewardHead]</c>.</summary>
    public bool RewardHead { get; init; }

    /// <summary>TModel itself implements the runtime's <c>ICausalLanguageModel</c> (a custom model may; the families are causal LMs anyway).</summary>
    public bool ModelImplementsCausalLanguageModel { get; init; }

    /// <summary>TModel itself implements the runtime's <c>IHiddenStateModel</c>, so a reward head can sit on a custom model.</summary>
    public bool ModelImplementsHiddenStates { get; init; }
}
