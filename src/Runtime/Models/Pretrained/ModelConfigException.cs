using System;

namespace ModelDsl.Models;

/// <summary>
/// A model configuration that cannot be used: a <c>config.json</c> field of the wrong type or with an impossible
/// value, sizes that do not fit together, or a file whose configuration differs from the model's.
/// The message names each field involved.
/// </summary>
public sealed class ModelConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelConfigException(string message, Exception? inner = null) : base(message, inner) { }
}
