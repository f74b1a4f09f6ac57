using System;

namespace ModelDsl.IO;

/// <summary>A safetensors file that breaks the format; the message names the file and the exact problem.</summary>
public sealed class SafetensorsFormatException : Exception
{
    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }

    /// <summary>Creates the exception for <paramref name="filePath"/> with a description of the <paramref name="problem"/>.</summary>
    public SafetensorsFormatException(string filePath, string problem, Exception? inner = null)
        : base($"'{filePath}' is not a valid safetensors file: {problem}", inner)
    {
        FilePath = filePath;
    }
}
