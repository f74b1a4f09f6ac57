using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ModelDsl.Generation.Structured;

/// <summary>Compact UTF-8 JSON texts of schema values (enum and const members, property names).</summary>
internal static class JsonLiterals
{
    static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The value written without insignificant whitespace.</summary>
    public static byte[] Of(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact)) value.WriteTo(writer);
        return buffer.ToArray();
    }

    /// <summary>A property name as it appears before its colon, quotes included.</summary>
    public static byte[] QuotedName(string name)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact)) writer.WriteStringValue(name);
        return buffer.ToArray();
    }

    /// <summary>
    /// Whether two JSON texts are the same value for <c>enum</c>/<c>oneOf</c> purposes: numbers compare by value
    /// (1 equals 1.0), everything else by its compact text.
    /// </summary>
    public static bool SameValue(byte[] a, byte[] b)
    {
        if (JsonKindsOf.Literal(a) == JsonKinds.Number && JsonKindsOf.Literal(b) == JsonKinds.Number)
        {
            using var x = JsonDocument.Parse(a);
            using var y = JsonDocument.Parse(b);
            if (x.RootElement.TryGetDecimal(out var dx) && y.RootElement.TryGetDecimal(out var dy)) return dx == dy;
            return x.RootElement.GetDouble() == y.RootElement.GetDouble();
        }
        return a.AsSpan().SequenceEqual(b);
    }
}
