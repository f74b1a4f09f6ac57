using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Tokenization;

/// <summary>
/// One JSON value of a tokenizer file with its path, so that every error names the file and the field. Readers ask for
/// the fields they implement and then call <see cref="RefuseOtherFields"/>: a field nobody asked for is refused by name.
/// </summary>
internal readonly struct JsonSection
{
    public JsonSection(JsonElement element, string path, string file, TokenizerFileLimits limits)
    {
        Element = element;
        Path = path;
        File = file;
        Limits = limits;
    }

    public TokenizerFileLimits Limits { get; }

    public JsonElement Element { get; }
    public string Path { get; }
    public string File { get; }

    public static JsonDocument ParseFile(string file, long maxBytes, string limitName, TokenizerFileLimits limits)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > maxBytes)
            throw TokenizerFileError.At(file, "(file)",
                $"is {stream.Length:N0} bytes, over the limit of {maxBytes:N0} bytes (TokenizerFileLimits.{limitName}).");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            throw TokenizerFileError.At(file, "(file)", $"is not valid JSON: {e.Message}");
        }
    }

    public InvalidDataException Error(string problem) => TokenizerFileError.At(File, Path, problem);

    public JsonSection Child(string name) => new(Element.GetProperty(name), Join(name), File, Limits);

    string Join(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    public bool IsNull => Element.ValueKind == JsonValueKind.Null;

    public bool Has(string name) => Element.TryGetProperty(name, out _);

    public bool TryGet(string name, out JsonSection value)
    {
        if (Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null)
        {
            value = new JsonSection(element, Join(name), File, Limits);
            return true;
        }
        value = default;
        return false;
    }

    public JsonSection Required(string name)
    {
        RequireKind(JsonValueKind.Object, "an object");
        if (!Element.TryGetProperty(name, out var element))
            throw TokenizerFileError.At(File, Join(name), "is missing.");
        return new JsonSection(element, Join(name), File, Limits);
    }

    public void RequireKind(JsonValueKind kind, string what)
    {
        if (Element.ValueKind != kind) throw Error($"must be {what}, not {Element.ValueKind}.");
    }

    public string AsString()
    {
        RequireKind(JsonValueKind.String, "a string");
        var text = Element.GetString()!;
        if (text.Length > Limits.MaxTokenLength * 64)
            throw Error($"is a string of {text.Length:N0} characters, too long for this field.");
        return text;
    }

    public bool AsBool()
    {
        if (Element.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Error($"must be true or false, not {Element.ValueKind}.");
        return Element.GetBoolean();
    }

    public int AsInt(int min, int max)
    {
        if (Element.ValueKind != JsonValueKind.Number || !Element.TryGetInt64(out var value))
            throw Error("must be an integer.");
        if (value < min || value > max) throw Error($"is {value}, outside [{min}, {max}].");
        return (int)value;
    }

    public string String(string name) => Required(name).AsString();

    public string? OptionalString(string name) => TryGet(name, out var value) ? value.AsString() : null;

    public bool Bool(string name, bool fallback) => TryGet(name, out var value) ? value.AsBool() : fallback;

    public IEnumerable<JsonSection> Items(int maxCount)
    {
        RequireKind(JsonValueKind.Array, "an array");
        var count = Element.GetArrayLength();
        if (count > maxCount) throw Error($"has {count:N0} entries, over the limit of {maxCount:N0} (see TokenizerFileLimits).");
        var index = 0;
        foreach (var item in Element.EnumerateArray())
            yield return new JsonSection(item, $"{Path}[{index++}]", File, Limits);
    }

    public IEnumerable<(string Name, JsonSection Value)> Properties()
    {
        RequireKind(JsonValueKind.Object, "an object");
        foreach (var property in Element.EnumerateObject())
            yield return (property.Name, new JsonSection(property.Value, Join(property.Name), File, Limits));
    }

    /// <summary>The one place where unknown options are refused: every field not listed is an error naming it.</summary>
    public void RefuseOtherFields(params string[] known)
    {
        RequireKind(JsonValueKind.Object, "an object");
        foreach (var property in Element.EnumerateObject())
            if (!known.Contains(property.Name, StringComparer.Ordinal))
                throw TokenizerFileError.At(File, Join(property.Name),
                    $"is not implemented by ModelDsl's tokenizer (known fields here: {string.Join(", ", known)}).");
    }
}
