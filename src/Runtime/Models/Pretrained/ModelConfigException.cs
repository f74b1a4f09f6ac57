using System;

namespace ModelDsl.Models;

/// <summary>
/// A model configuration that cannot be used: a <c>config.json</c> field of the wrong type or with an impossible
/// value, sizes that do not fit together, a setting ModelDsl does not implement, or a file whose configuration differs
/// from the model's. The message names each field involved.
/// </summary>
public sealed class ModelConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what would be right.</param>
    /// <param name="inner">The exception that led to this one, if any.</param>
    /// <param name="field">The <c>config.json</c> field the problem is about, if it is about one.</param>
    public ModelConfigException(string message, Exception? inner = null, string? field = null) : base(message, inner) => Field = field;

    /// <summary>The <c>config.json</c> field the problem is about (e.g. <c>num_attention_heads</c>), or <see langword="null"/>.</summary>
    public string? Field { get; }
}
