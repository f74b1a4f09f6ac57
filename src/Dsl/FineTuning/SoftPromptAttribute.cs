using System;

namespace ModelDsl;

/// <summary>How the virtual tokens of a soft prompt start out (PEFT's <c>prompt_tuning_init</c>).</summary>
public enum PromptInit
{
    /// <summary>Random normal vectors.</summary>
    Random,
    /// <summary>The embeddings of <see cref="SoftPromptAttribute.InitText"/>'s tokens, repeated to fill the prompt.</summary>
    Text,
    /// <summary>Embeddings of tokens drawn from the vocabulary.</summary>
    SampleVocab,
}

/// <summary>
/// Prompt tuning (Lester et al., 2021): <c>tokens</c> trainable embedding vectors prepended to every input;
/// the model itself stays frozen. One per setup (a second is reported as MDSL143 rather than a bare CS0579).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class SoftPromptAttribute : Attribute
{
    /// <summary>Declares a soft prompt.</summary>
    /// <param name="tokens">Number of virtual tokens (≥ 1, leaving room in the context window).</param>
    public SoftPromptAttribute(int tokens) => Tokens = tokens;

    /// <summary>Number of virtual tokens.</summary>
    public int Tokens { get; }

    /// <summary>How the virtual tokens start out (default <see cref="PromptInit.Random"/>, or Text when <see cref="InitText"/> is set).</summary>
    public PromptInit Init { get; set; } = PromptInit.Random;

    /// <summary>The text whose token embeddings initialise the prompt (with <see cref="PromptInit.Text"/>).</summary>
    public string? InitText { get; set; }
}
