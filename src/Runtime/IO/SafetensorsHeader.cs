using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace ModelDsl.IO;

/// <summary>One tensor's entry in a safetensors header; offsets are relative to the start of the data buffer.</summary>
internal sealed record SafetensorsEntry(string Name, ScalarType Type, long[] Shape, long Begin, long End);

/// <summary>
/// Parses and validates a safetensors JSON header against the size of the data buffer that follows it.
/// Every rule of the format is checked here, before any tensor memory is allocated.
/// </summary>
internal static class SafetensorsHeader
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    const string MetadataKey = "__metadata__";
    const int MaxDepth = 8;
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses <paramref name="header"/>; throws <see cref="SafetensorsFormatException"/> naming <paramref name="file"/>.</summary>
    public static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(
        string file, byte[] header, long dataLength)
    {
        try { StrictUtf8.GetString(header); }
        catch (DecoderFallbackException e)
        {
            throw new SafetensorsFormatException(file, $"the header is not valid UTF-8 (at byte {e.Index}).", e);
        }

        JsonDocument document;
        try { document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = MaxDepth }); }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(file, $"the header is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            RequireDecodableStrings(file, header);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(file, $"the header must be a JSON object, found {root.ValueKind}.");

            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new SafetensorsFormatException(file, $"the header names '{property.Name}' twice.");
                if (property.Name == MetadataKey)
                    ReadMetadata(file, property.Value, metadata);
                else
                    entries.Add(ReadEntry(file, property.Name, property.Value));
            }
            CheckLayout(file, entries, dataLength);
            return (entries, metadata);
        }
    }

    // Valid UTF-8 can still spell an unpaired UTF-16 surrogate through an escape (\uD800), which no .NET string
    // holds: reading it would throw InvalidOperationException. Only escaped strings can do this; check them first.
    static void RequireDecodableStrings(string file, byte[] header)
    {
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
            try { reader.GetString(); }
            catch (InvalidOperationException e)
            {
                throw new SafetensorsFormatException(file,
                    $"the header string at byte {reader.TokenStartIndex} escapes an unpaired UTF-16 surrogate (such as \\uD800), which is not text.", e);
            }
        }
    }

    static void ReadMetadata(string file, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(file, $"'{MetadataKey}' must be an object of strings, found {value.ValueKind}.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException(file,
                    $"'{MetadataKey}' entry '{item.Name}' must be a string, found {item.Value.ValueKind}.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new SafetensorsFormatException(file, $"'{MetadataKey}' names '{item.Name}' twice.");
        }
    }

    static SafetensorsEntry ReadEntry(string file, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(file, $"tensor '{name}' must be described by an object, found {value.ValueKind}.");

        JsonElement? dtype = null, shape = null, offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtype is null: dtype = field.Value; break;
                case "shape" when shape is null: shape = field.Value; break;
                case "data_offsets" when offsets is null: offsets = field.Value; break;
                default:
                    throw new SafetensorsFormatException(file,
                        $"tensor '{name}' has an unexpected or repeated field '{field.Name}' (allowed once each: dtype, shape, data_offsets).");
            }
        }
        if (dtype is null || shape is null || offsets is null)
            throw new SafetensorsFormatException(file, $"tensor '{name}' must have the fields dtype, shape and data_offsets.");

        if (dtype.Value.ValueKind != JsonValueKind.String
            || !SafetensorsDtype.TryParse(dtype.Value.GetString()!, out var type, out var elementSize))
            throw new SafetensorsFormatException(file,
                $"tensor '{name}' has unknown dtype {dtype.Value.GetRawText()}; known: {SafetensorsDtype.KnownNames}.");

        var dims = ReadIntegers(file, name, "shape", shape.Value);
        var range = ReadIntegers(file, name, "data_offsets", offsets.Value);
        if (range.Length != 2)
            throw new SafetensorsFormatException(file, $"tensor '{name}' data_offsets must hold exactly [begin, end], found {range.Length} numbers.");
        var (begin, end) = (range[0], range[1]);
        if (end < begin)
            throw new SafetensorsFormatException(file, $"tensor '{name}' data_offsets [{begin}, {end}] end before they begin.");

        long expected;
        try { expected = checked(dims.Aggregate(1L, (product, d) => product * d) * elementSize); }
        catch (OverflowException e)
        {
            throw new SafetensorsFormatException(file, $"tensor '{name}' shape [{string.Join(", ", dims)}] is too large to address.", e);
        }
        if (expected != end - begin)
            throw new SafetensorsFormatException(file,
                $"tensor '{name}' of shape [{string.Join(", ", dims)}] and dtype {dtype.Value.GetString()} needs {expected} bytes, "
                + $"but data_offsets [{begin}, {end}] span {end - begin}.");
        return new SafetensorsEntry(name, type, dims, begin, end);
    }

    static long[] ReadIntegers(string file, string name, string field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new SafetensorsFormatException(file, $"tensor '{name}' {field} must be an array of integers, found {value.ValueKind}.");
        var result = new long[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var number) || number < 0)
                throw new SafetensorsFormatException(file,
                    $"tensor '{name}' {field} must hold non-negative integers, found {item.GetRawText()}.");
            result[i++] = number;
        }
        return result;
    }

    // The data buffer must be tiled exactly: sorted by offset, the first tensor starts at 0, each
    // starts where the previous ended (no gaps, no overlaps) and the last ends at the end of the file.
    static void CheckLayout(string file, List<SafetensorsEntry> entries, long dataLength)
    {
        long position = 0;
        SafetensorsEntry? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != position)
            {
                var problem = entry.Begin < position
                    ? $"tensor '{entry.Name}' at [{entry.Begin}, {entry.End}] overlaps tensor '{previous!.Name}' at [{previous.Begin}, {previous.End}]."
                    : $"there are {entry.Begin - position} unindexed bytes before tensor '{entry.Name}' at offset {entry.Begin} (data must be contiguous from 0).";
                throw new SafetensorsFormatException(file, problem);
            }
            position = entry.End;
            previous = entry;
        }
        if (position != dataLength)
        {
            var problem = position > dataLength
                ? $"the tensors need {position} data bytes but the file holds only {dataLength} after the header (truncated file?)."
                : $"{dataLength - position} trailing data bytes are not indexed by any tensor.";
            throw new SafetensorsFormatException(file, problem);
        }
    }
}
