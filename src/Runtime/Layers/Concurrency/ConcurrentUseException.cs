using System;

namespace ModelDsl.Layers;

/// <summary>
/// Two calls overlapped on an object that runs one call at a time (a trainer, a setup's adapter switching and saving),
/// or a model was changed while another thread was using it. The message names both calls.
/// </summary>
public sealed class ConcurrentUseException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ConcurrentUseException(string message) : base(message) { }
}
