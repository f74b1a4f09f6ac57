using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Turns .NET values handed to a template (strings, numbers, booleans, dictionaries, lists, <see cref="JsonElement"/>,
/// <see cref="JsonNode"/>) into the engine's Python-like values, copying containers so the caller's objects are never
/// shared. JSON numbers written without a fraction or exponent become ints, others floats, as Python's json does.
/// </summary>
internal static class PythonValues
{
    public static object? FromDotNet(object? value) => value switch
    {
        null => null,
        string s => s,
        char ch => ch.ToString(),
        bool b => b,
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : throw JinjaException.Unsupported("An integer beyond 64 bits"),
        float or double or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        JsonElement element => FromJson(element),
        JsonNode node => FromJson(JsonSerializer.SerializeToElement(node)),
        IDictionary dictionary => FromDictionary(dictionary),
        IEnumerable<KeyValuePair<string, object?>> pairs => FromPairs(pairs),
        IEnumerable sequence => FromSequence(sequence),
        _ => throw new ArgumentException($"A template value of type {value.GetType().FullName} is not supported; use strings, numbers, booleans, null, dictionaries, lists or JSON elements."),
    };

    static PyDict FromDictionary(IDictionary dictionary)
    {
        var dict = new PyDict();
        foreach (DictionaryEntry entry in dictionary) dict.Set(FromDotNet(entry.Key), FromDotNet(entry.Value));
        return dict;
    }

    static PyDict FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var dict = new PyDict();
        foreach (var (key, item) in pairs) dict.Set(key, FromDotNet(item));
        return dict;
    }

    static List<object?> FromSequence(IEnumerable sequence)
    {
        var list = new List<object?>();
        foreach (var item in sequence) list.Add(FromDotNet(item));
        return list;
    }

    public static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = new PyDict();
                foreach (var property in element.EnumerateObject()) dict.Set(property.Name, FromJson(property.Value));
                return dict;
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (var item in element.EnumerateArray()) list.Add(FromJson(item));
                return list;
            case JsonValueKind.String: return element.GetString();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.IndexOfAny(['.', 'e', 'E']) < 0)
                    return element.TryGetInt64(out var l) ? l : throw JinjaException.Unsupported($"The JSON integer {raw} (beyond 64 bits)");
                return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            default: return null;
        }
    }
}
