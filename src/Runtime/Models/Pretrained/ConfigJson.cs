using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace ModelDsl.Models;

/// <summary>Typed access to the fields of a Hugging Face <c>config.json</c>, with errors that name the file and field.</summary>
internal sealed class ConfigJson : IDisposable
{
    readonly JsonDocument _document;

    /// <summary>Where the JSON came from, for messages.</summary>
    public string Source { get; }

    ConfigJson(JsonDocument document, string source)
    {
        _document = document;
        Source = source;
    }

    /// <summary>Parses <paramref name="json"/>; <paramref name="source"/> names it in errors.</summary>
    public static ConfigJson Parse(string json, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new ModelConfigException($"{source} is not valid JSON: {e.Message}", e); }
        var kind = document.RootElement.ValueKind;
        if (kind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ModelConfigException($"{source} must hold a JSON object, found {kind}.");
        }
        if (JsonStrings.FirstUndecodable(document.RootElement) is { } path)
        {
            document.Dispose();
            throw new ModelConfigException(
                $"{source} has a string at {path} whose escapes spell an unpaired UTF-16 surrogate (such as \\uD800), which is not text; fix or remove it.");
        }
        return new ConfigJson(document, source);
    }

    /// <summary>Reads and parses a <c>config.json</c> file; a missing file is reported with what was expected.</summary>
    public static ConfigJson Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"No model configuration at '{path}': expected the config.json that save_pretrained writes next to the weights.", path);
        return Parse(BoundedFile.ReadAllText(path, BoundedFile.JsonConfigBytes,
            length => new ModelConfigException(BoundedFile.TooLarge(path, length, BoundedFile.JsonConfigBytes, "a config.json") + ".")), $"'{path}'");
    }

    bool TryGet(string field, out JsonElement value) =>
        _document.RootElement.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Whether the field is present and not null.</summary>
    public bool Has(string field) => TryGet(field, out _);

    /// <summary>A required integer field that fits in an <see cref="int"/>.</summary>
    public int RequiredInt(string field, params string[] aliases)
    {
        foreach (var name in (string[])[field, .. aliases])
            if (TryGet(name, out var value)) return AsInt(name, value);
        var alternatives = aliases.Length == 0 ? "" : $" (or {string.Join(", ", aliases)})";
        throw new ModelConfigException($"{Source} has no \"{field}\"{alternatives}; it is required to build the model.");
    }

    /// <summary>An optional integer field.</summary>
    public int OptionalInt(string field, int fallback) => TryGet(field, out var value) ? AsInt(field, value) : fallback;

    /// <summary>An optional number field.</summary>
    public double OptionalDouble(string field, double fallback)
    {
        if (!TryGet(field, out var value)) return fallback;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            throw new ModelConfigException($"{Source} field \"{field}\" must be a finite number, found {value.GetRawText()}.");
        return number;
    }

    /// <summary>An optional boolean field.</summary>
    public bool OptionalBool(string field, bool fallback)
    {
        if (!TryGet(field, out var value)) return fallback;
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw new ModelConfigException($"{Source} field \"{field}\" must be true or false, found {value.GetRawText()}.");
        return value.GetBoolean();
    }

    /// <summary>An optional string field.</summary>
    public string? OptionalString(string field)
    {
        if (!TryGet(field, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new ModelConfigException($"{Source} field \"{field}\" must be a string, found {value.GetRawText()}.");
        return value.GetString();
    }

    /// <summary>Rejects a file written for another architecture.</summary>
    public void ExpectModelType(string modelType)
    {
        var found = OptionalString("model_type");
        if (found is not null && found != modelType)
            throw new ModelConfigException(
                $"{Source} describes a \"{found}\" model (field \"model_type\"), but a \"{modelType}\" configuration was expected.");
    }

    /// <summary>Rejects a field whose value this runtime cannot honour (rather than silently computing something else).</summary>
    public void RejectUnless(string field, Func<JsonElement, bool> supported, string what)
    {
        if (TryGet(field, out var value) && !Supports(supported, value))
            throw new ModelConfigException($"{Source} field \"{field}\" is {value.GetRawText()}, which is not supported: {what}.");
    }

    // A check reads the value as the type it expects; a value of another JSON type (a number where a name
    // belongs) makes the read throw, and is as unsupported as a wrong value of the right type.
    static bool Supports(Func<JsonElement, bool> supported, JsonElement value)
    {
        try { return supported(value); }
        catch (InvalidOperationException) { return false; }
    }

    int AsInt(string field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
            throw new ModelConfigException($"{Source} field \"{field}\" must be an integer, found {value.GetRawText()}.");
        if (number < 1 || number > int.MaxValue)
            throw new ModelConfigException(
                $"{Source} field \"{field}\" is {number.ToString(CultureInfo.InvariantCulture)}; it must be between 1 and {int.MaxValue}.");
        return (int)number;
    }

    /// <inheritdoc/>
    public void Dispose() => _document.Dispose();

    /// <summary>Writes a config object with the given fields (in order) as indented JSON.</summary>
    public static string Write(IEnumerable<KeyValuePair<string, object?>> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                json.WritePropertyName(name);
                switch (value)
                {
                    case null: json.WriteNullValue(); break;
                    case int i: json.WriteNumberValue(i); break;
                    case double d: json.WriteNumberValue(d); break;
                    case bool b: json.WriteBooleanValue(b); break;
                    case string s: json.WriteStringValue(s); break;
                    case string[] list:
                        json.WriteStartArray();
                        foreach (var item in list) json.WriteStringValue(item);
                        json.WriteEndArray();
                        break;
                    default: throw new ArgumentException($"Config field \"{name}\" has unsupported type {value.GetType()}.", nameof(fields));
                }
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
