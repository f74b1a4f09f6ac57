using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using ModelDsl.Families;
using ModelDsl.Models;

namespace ModelDsl.IO;

/// <summary>
/// A parsed Hugging Face <c>config.json</c>: System.Text.Json's document, checked to be an object whose strings are all
/// text, seen by the shared family reader through <see cref="ConfigNode"/>. Errors name the file.
/// </summary>
internal sealed class ConfigJson : IDisposable
{
    readonly JsonDocument _document;

    /// <summary>Where the JSON came from, for messages.</summary>
    public string Source { get; }

    /// <summary>The root object.</summary>
    public ConfigNode Root => new JsonConfigNode(_document.RootElement);

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

    /// <inheritdoc/>
    public void Dispose() => _document.Dispose();

    /// <summary>Writes a config object with the given fields (in order) as indented JSON; nested field lists become objects.</summary>
    public static string Write(IEnumerable<KeyValuePair<string, object?>> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            WriteObject(json, fields);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    static void WriteObject(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> fields)
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
                case IEnumerable<KeyValuePair<string, object?>> nested: WriteObject(json, nested); break;
                default: throw new ArgumentException($"Config field \"{name}\" has unsupported type {value.GetType()}.", nameof(fields));
            }
        }
        json.WriteEndObject();
    }

    /// <summary>A <see cref="JsonElement"/> as the family reader sees it.</summary>
    sealed class JsonConfigNode(JsonElement element) : ConfigNode
    {
        const int ShownCharacters = 80;

        public override ConfigNodeKind Kind => element.ValueKind switch
        {
            JsonValueKind.True or JsonValueKind.False => ConfigNodeKind.Bool,
            JsonValueKind.Number => ConfigNodeKind.Number,
            JsonValueKind.String => ConfigNodeKind.String,
            JsonValueKind.Array => ConfigNodeKind.Array,
            JsonValueKind.Object => ConfigNodeKind.Object,
            _ => ConfigNodeKind.Null,
        };

        public override string Text
        {
            get
            {
                var raw = element.GetRawText();
                return raw.Length <= ShownCharacters ? raw : raw[..ShownCharacters] + "…";
            }
        }

        public override bool Bool => element.ValueKind == JsonValueKind.True;

        public override string? String => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

        public override bool TryGetInteger(out long value)
        {
            value = 0;
            return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
        }

        public override bool TryGetDouble(out double value)
        {
            value = 0;
            return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value);
        }

        public override IReadOnlyList<ConfigNode> Items
        {
            get
            {
                var items = new List<ConfigNode>();
                if (element.ValueKind == JsonValueKind.Array)
                    foreach (var item in element.EnumerateArray()) items.Add(new JsonConfigNode(item));
                return items;
            }
        }

        public override ConfigNode? Property(string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? new JsonConfigNode(value) : null;
    }
}
