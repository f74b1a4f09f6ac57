using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl.IO;

/// <summary>The safetensors dtype names this reader accepts, with their element sizes and torch types.</summary>
internal static class SafetensorsDtype
{
    static readonly Dictionary<string, (ScalarType Type, int Size)> ByName = new(StringComparer.Ordinal)
    {
        ["F64"] = (ScalarType.Float64, 8),
        ["F32"] = (ScalarType.Float32, 4),
        ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2),
        ["I64"] = (ScalarType.Int64, 8),
        ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2),
        ["I8"] = (ScalarType.Int8, 1),
        ["U8"] = (ScalarType.Byte, 1),
        ["BOOL"] = (ScalarType.Bool, 1),
    };

    /// <summary>Every accepted name, for error messages.</summary>
    public static string KnownNames => string.Join(", ", ByName.Keys);

    /// <summary>Looks up a dtype name as written in a header.</summary>
    public static bool TryParse(string name, out ScalarType type, out int size)
    {
        if (ByName.TryGetValue(name, out var entry))
        {
            (type, size) = entry;
            return true;
        }
        (type, size) = (default, 0);
        return false;
    }

    /// <summary>The header name of a torch element type, or an error naming the unsupported type.</summary>
    public static string NameOf(ScalarType type) => type switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException(
            $"Tensors of type {type} cannot be stored in safetensors by this writer; convert them to one of {KnownNames}."),
    };
}
