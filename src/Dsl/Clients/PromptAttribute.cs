using System;
using ModelDsl.Shared;

namespace ModelDsl;

/// <summary>
/// The prompt template of a client method. <c>{name}</c> is replaced by the method's parameter <c>name</c>
/// (write <c>{{</c> and <c>}}</c> for literal braces). The return type decides what the method does:
/// <c>string</c> generates text; <c>IAsyncEnumerable&lt;string&gt;</c> streams it; an <c>enum</c> or <c>bool</c>
/// scores each label's likelihood after the prompt and returns the most likely, so the answer is always a declared value.
/// An enum member's label is its <c>[System.ComponentModel.Description]</c> text, or its name when it has none; a bool's
/// labels are <see cref="TrueLabel"/> and <see cref="FalseLabel"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class PromptAttribute : Attribute
{
    /// <summary>Declares the template.</summary>
    /// <param name="template">The prompt, with <c>{parameter}</c> placeholders.</param>
    public PromptAttribute(string template) => Template = template;

    /// <summary>The prompt template.</summary>
    public string Template { get; }

    /// <summary>Most tokens to generate (default 32).</summary>
    public int MaxNewTokens { get; set; } = DslDefaults.PromptMaxNewTokens;

    /// <summary>Sampling temperature; 0 (the default) is greedy decoding.</summary>
    public double Temperature { get; set; }

    /// <summary>Sample only among the k most likely tokens (0: no limit).</summary>
    public int TopK { get; set; }

    /// <summary>Nucleus sampling: sample among the most likely tokens whose probabilities sum to this (default 1: no limit).</summary>
    public double TopP { get; set; } = DslDefaults.PromptTopP;

    /// <summary>Generation stops before any of these strings.</summary>
    public string[]? Stop { get; set; }

    /// <summary>For a <c>bool</c> answer, the text the model is asked for when the answer is <c>true</c> (default "yes").</summary>
    public string TrueLabel { get; set; } = DslDefaults.PromptTrueLabel;

    /// <summary>For a <c>bool</c> answer, the text the model is asked for when the answer is <c>false</c> (default "no").</summary>
    public string FalseLabel { get; set; } = DslDefaults.PromptFalseLabel;
}

/// <summary>
/// A few-shot example for a client method whose template has one placeholder: the template rendered with
/// <c>input</c>, followed by <c>output</c>, is put before the real query. Repeat the attribute for more examples.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = true)]
public sealed class ExampleAttribute : Attribute
{
    /// <summary>Declares an example.</summary>
    /// <param name="input">The value of the template's placeholder.</param>
    /// <param name="output">The answer the model should give.</param>
    public ExampleAttribute(string input, string output)
    {
        Input = input;
        Output = output;
    }

    /// <summary>The value of the template's placeholder.</summary>
    public string Input { get; }

    /// <summary>The expected answer.</summary>
    public string Output { get; }
}
