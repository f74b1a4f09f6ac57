using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

/// <summary>The non-tensor fields of a bitsandbytes 4-bit quant state (<c>QuantState.as_dict</c>).</summary>
internal sealed record QuantStateFields(
    string QuantType, int BlockSize, ScalarType DType, long[] Shape,
    int? NestedBlockSize = null, ScalarType? NestedDType = null, float? NestedOffset = null);

/// <summary>
/// bitsandbytes' packed quant state: the non-tensor fields as the UTF-8 bytes of Python's <c>json.dumps(dict)</c>
/// in a uint8 tensor (<c>pack_dict_to_tensor</c>), saved under <c>weight.quant_state.bitsandbytes__nf4</c>. Written
/// byte for byte as bitsandbytes writes it (same key order, same separators, Python's float repr); read strictly:
/// a field this runtime does not know is refused by name.
/// </summary>
internal static class PackedQuantState
{
    static readonly string[] KnownFields = ["quant_type", "blocksize", "dtype", "shape", "nested_blocksize", "nested_dtype", "nested_offset"];

    /// <summary>The JSON text bitsandbytes would write for <paramref name="fields"/>.</summary>
    public static string ToJson(QuantStateFields fields)
    {
        var text = new StringBuilder();
        text.Append("{\"quant_type\": \"").Append(fields.QuantType).Append("\", ");
        text.Append("\"blocksize\": ").Append(fields.BlockSize.ToString(CultureInfo.InvariantCulture)).Append(", ");
        text.Append("\"dtype\": \"").Append(DTypeName(fields.DType)).Append("\", ");
        text.Append("\"shape\": [").Append(string.Join(", ", fields.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))).Append(']');
        if (fields.NestedBlockSize is { } nestedBlockSize)
        {
            text.Append(", \"nested_blocksize\": ").Append(nestedBlockSize.ToString(CultureInfo.InvariantCulture));
            text.Append(", \"nested_dtype\": \"").Append(DTypeName(fields.NestedDType ?? ScalarType.Float32)).Append('"');
            text.Append(", \"nested_offset\": ").Append(PythonFloat.Repr(fields.NestedOffset ?? 0f));
        }
        return text.Append('}').ToString();
    }

    /// <summary>The packed uint8 tensor for <paramref name="fields"/>.</summary>
    public static Tensor Pack(QuantStateFields fields) => tensor(Encoding.UTF8.GetBytes(ToJson(fields)), dtype: ScalarType.Byte);

    /// <summary>Reads the packed tensor saved under <paramref name="key"/>.</summary>
    public static QuantStateFields Unpack(Tensor packed, string key)
    {
        if (packed.dtype != ScalarType.Byte || packed.dim() != 1)
            throw new InvalidDataException($"'{key}' must be a 1-D uint8 tensor of JSON text (bitsandbytes' packed quant state); it is {packed.dtype} [{string.Join(", ", packed.shape)}].");
        string json;
        using (var cpu = packed.cpu()) json = Encoding.UTF8.GetString(cpu.data<byte>().ToArray());
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"'{key}' must hold a JSON object; it holds {root.ValueKind}.");
            var unknown = root.EnumerateObject().Select(p => p.Name).Where(n => !KnownFields.Contains(n)).ToList();
            if (unknown.Count > 0)
                throw new InvalidDataException($"'{key}' has quant-state fields this runtime does not implement: {string.Join(", ", unknown)}.");
            var nested = root.TryGetProperty("nested_blocksize", out _);
            return new QuantStateFields(
                Required(root, "quant_type", key).GetString()!,
                Required(root, "blocksize", key).GetInt32(),
                DType(Required(root, "dtype", key).GetString()!, key),
                Required(root, "shape", key).EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                nested ? root.GetProperty("nested_blocksize").GetInt32() : null,
                nested ? DType(Required(root, "nested_dtype", key).GetString()!, key) : null,
                nested ? (float)Required(root, "nested_offset", key).GetDouble() : null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{key}' is not a valid bitsandbytes quant state ({e.Message}): {json}", e);
        }
    }

    /// <summary>The name bitsandbytes writes for a dtype (<c>str(dtype).strip("torch.")</c>).</summary>
    public static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Quantized weights come from float32, float16 or bfloat16 weights."),
    };

    static ScalarType DType(string name, string key) => name switch
    {
        "float32" => ScalarType.Float32,
        "float16" => ScalarType.Float16,
        "bfloat16" => ScalarType.BFloat16,
        _ => throw new InvalidDataException($"'{key}' names dtype '{name}'; only float32, float16 and bfloat16 are implemented."),
    };

    static JsonElement Required(JsonElement root, string field, string key) =>
        root.TryGetProperty(field, out var value) ? value : throw new InvalidDataException($"'{key}' lacks the field '{field}'.");
}

/// <summary>Python's <c>repr(float)</c>, which <c>json.dumps</c> uses for floats.</summary>
internal static class PythonFloat
{
    /// <summary>The shortest round-trip digits, positional for decimal exponents −4..15 and scientific otherwise.</summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "Infinity" : "-Infinity";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // "E16" is not shortest; "R" is, in either notation: read its digits and exponent, then lay them out as Python does.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOf('E');
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        exponent += (point < 0 ? mantissa.Length : point) - 1;          // decimal exponent of the first digit
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        exponent -= leadingZeros;
        var sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16)
        {
            var fraction = digits.Length > 1 ? "." + digits[1..] : "";
            return $"{sign}{digits[0]}{fraction}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }
        if (exponent < 0) return $"{sign}0.{new string('0', -exponent - 1)}{digits}";
        var whole = digits.Length > exponent + 1 ? digits[..(exponent + 1)] : digits.PadRight(exponent + 1, '0');
        var rest = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
        return $"{sign}{whole}.{rest}";
    }
}
