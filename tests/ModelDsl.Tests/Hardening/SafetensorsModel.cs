using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ModelDsl.Tests.IO;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// An editable description of a safetensors file: entries whose fields are raw JSON text (so a mutation can put
/// anything there), metadata, and the data bytes. <see cref="Bytes"/> renders it without using the writer under test.
/// </summary>
internal sealed class SafetensorsModel
{
    public sealed class Entry
    {
        public required string NameJson { get; set; }
        public required string DtypeJson { get; set; }
        public required string ShapeJson { get; set; }
        public required string OffsetsJson { get; set; }
        /// <summary>Extra raw <c>"key": value</c> members appended to the entry object, or empty.</summary>
        public string ExtraMembers { get; set; } = "";
        /// <summary>A field left out of the entry (dtype, shape or data_offsets), or null.</summary>
        public string? Omitted { get; set; }
    }

    public List<Entry> Entries { get; } = [];
    /// <summary>The raw JSON value of <c>__metadata__</c>, or null for none.</summary>
    public string? MetadataJson { get; set; }
    public byte[] Data { get; set; } = [];
    /// <summary>Raw text appended inside the root object after the entries (e.g. a duplicate key), or empty.</summary>
    public string ExtraRootMembers { get; set; } = "";

    /// <summary>A valid file of random tensors: dtypes of every size, scalars, empty tensors, metadata or not.</summary>
    public static SafetensorsModel RandomValid(Random random)
    {
        (string Name, int Size)[] dtypes = [("F32", 4), ("F16", 2), ("BF16", 2), ("F64", 8), ("I64", 8), ("I32", 4), ("I16", 2), ("I8", 1), ("U8", 1), ("BOOL", 1)];
        var model = new SafetensorsModel();
        var data = new List<byte>();
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var (dtype, size) = dtypes[random.Next(dtypes.Length)];
            long[] shape = random.Next(6) switch
            {
                0 => [],                                    // a scalar
                1 => [random.Next(0, 2), random.Next(1, 4)], // possibly empty
                _ => Enumerable.Range(0, random.Next(1, 4)).Select(_ => (long)random.Next(1, 5)).ToArray(),
            };
            var bytes = checked((int)shape.Aggregate(1L, (a, b) => a * b) * size);
            var begin = data.Count;
            for (var b = 0; b < bytes; b++)
                data.Add(dtype == "BOOL" ? (byte)random.Next(2) : (byte)random.Next(256)); // any bit pattern is a valid number
            model.Entries.Add(new Entry
            {
                NameJson = Json($"layer.{i}.weight"),
                DtypeJson = Json(dtype),
                ShapeJson = Numbers(shape),
                OffsetsJson = Numbers([begin, data.Count]),
            });
        }
        if (random.Next(2) == 0) model.MetadataJson = """{"format":"pt","note":"ünïcode ✓"}""";
        model.Data = data.ToArray();
        return model;
    }

    public byte[] Bytes() => SafetensorsBytes.Build(HeaderText(), Data);

    public string HeaderText()
    {
        var members = new List<string>();
        if (MetadataJson is not null) members.Add($"\"__metadata__\":{MetadataJson}");
        foreach (var e in Entries)
        {
            var fields = new List<string>();
            if (e.Omitted != "dtype") fields.Add($"\"dtype\":{e.DtypeJson}");
            if (e.Omitted != "shape") fields.Add($"\"shape\":{e.ShapeJson}");
            if (e.Omitted != "data_offsets") fields.Add($"\"data_offsets\":{e.OffsetsJson}");
            if (e.ExtraMembers.Length > 0) fields.Add(e.ExtraMembers);
            members.Add($"{e.NameJson}:{{{string.Join(",", fields)}}}");
        }
        if (ExtraRootMembers.Length > 0) members.Add(ExtraRootMembers);
        var text = "{" + string.Join(",", members) + "}";
        // Pad like the reference writer, so the data starts 8-byte aligned.
        return text + new string(' ', (8 - Encoding.UTF8.GetByteCount(text) % 8) % 8);
    }

    public static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    public static string Numbers(IEnumerable<long> values) =>
        "[" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
}
