using System;

namespace ModelDsl;

/// <summary>
/// Marks a <c>partial</c> class as a fine-tuning setup over the generated model <typeparamref name="TModel"/>
/// (a <see cref="ModelAttribute"/>, <see cref="Gpt2Attribute"/> or <see cref="LlamaAttribute"/> class).
/// Combine it with one method: <see cref="FullFineTuneAttribute"/>, <see cref="SelectiveAttribute"/>,
/// <see cref="BitFitAttribute"/>, <see cref="LoRAAttribute"/>, <see cref="SoftPromptAttribute"/> or
/// <see cref="AdapterAttribute"/>. The generated class freezes the base model, injects the trainable parts,
/// and knows its trainable and total parameter counts as constants.
/// </summary>
/// <typeparam name="TModel">The model the setup fine-tunes.</typeparam>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class FineTuneAttribute<TModel> : Attribute where TModel : class
{
}

/// <summary>Every parameter of the model trains: the baseline every PEFT method is compared with.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class FullFineTuneAttribute : Attribute
{
}

/// <summary>
/// Selective fine-tuning: only the parameters whose state-dict names match <see cref="Train"/> train.
/// A pattern matches a parameter or module name that equals it, ends with "." + it, or, with <c>*</c>
/// wildcards, matches segment-wise (<c>"h.11.*"</c>, <c>"ln_f"</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class SelectiveAttribute : Attribute
{
    /// <summary>Name patterns of what trains (at least one).</summary>
    public string[] Train { get; set; } = [];
}

/// <summary>BitFit: only the bias terms train (Ben Zaken et al., 2021).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class BitFitAttribute : Attribute
{
}
