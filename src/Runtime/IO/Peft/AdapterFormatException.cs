using System;

namespace ModelDsl.IO.Peft;

/// <summary>An adapter directory that cannot be loaded into a setup: a bad <c>adapter_config.json</c>, or tensors that do not fit.</summary>
public sealed class AdapterFormatException : Exception
{
    /// <summary>Creates the exception for the file or directory at <paramref name="path"/>.</summary>
    public AdapterFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The file or directory at fault.</summary>
    public string Path { get; }
}
