using System;

namespace ModelDsl.Models;

/// <summary>
/// Weight files that do not fit the model they are loaded into: keys missing or unexpected, a shape or a dtype
/// that differs. The message lists every key involved.
/// </summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointMismatchException(string message) : base(message) { }
}
