using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Ways to damage a valid safetensors file: structural edits of the header (offsets, dtypes, shapes, JSON shape and
/// size) and byte-level edits of the finished file (flips, truncation, header length). Each has a name for reports.
/// </summary>
internal static class SafetensorsMutations
{
    static readonly string[] Junk =
        ["null", "true", "\"x\"", "-1", "1.5", "1e400", "18446744073709551616", "9223372036854775807", "[]", "{}", "[-0]", "\"\\uD800\""];

    static readonly (string Name, Action<SafetensorsModel, Random> Apply)[] Structural =
    [
        ("overlapping offsets", (m, r) => { var e = Pick(m, r); var o = Offsets(e); e.OffsetsJson = SafetensorsModel.Numbers([Math.Max(0, o[0] - r.Next(1, 8)), o[1]]); }),
        ("offsets out of range", (m, r) => { var e = Pick(m, r); var o = Offsets(e); e.OffsetsJson = SafetensorsModel.Numbers([o[0], o[1] + r.Next(1, 1 << 20)]); }),
        ("offsets far out of range", (m, r) => Pick(m, r).OffsetsJson = SafetensorsModel.Numbers([long.MaxValue - r.Next(16), long.MaxValue])),
        ("offsets reversed", (m, r) => { var e = Pick(m, r); var o = Offsets(e); e.OffsetsJson = SafetensorsModel.Numbers([o[1], o[0]]); }),
        ("offsets shifted", (m, r) => { var e = Pick(m, r); var o = Offsets(e); var d = r.Next(1, 9); e.OffsetsJson = SafetensorsModel.Numbers([o[0] + d, o[1] + d]); }),
        ("offsets of the wrong arity", (m, r) => Pick(m, r).OffsetsJson = r.Next(2) == 0 ? "[0]" : "[0,0,0]"),
        ("unknown dtype", (m, r) => Pick(m, r).DtypeJson = SafetensorsModel.Json(new[] { "F8_E4M3", "f32", "", "I128", "C64", "U64", "F32 " }[r.Next(7)])),
        ("other known dtype", (m, r) => Pick(m, r).DtypeJson = SafetensorsModel.Json(new[] { "F32", "F16", "F64", "I8", "BOOL" }[r.Next(5)])),
        ("shape changed", (m, r) => Pick(m, r).ShapeJson = SafetensorsModel.Numbers(Enumerable.Range(0, r.Next(0, 4)).Select(_ => (long)r.Next(0, 6)))),
        ("10 TB tensor", (m, r) => { var e = Pick(m, r); e.DtypeJson = "\"F32\""; e.ShapeJson = "[2500000000000]"; e.OffsetsJson = "[0,10000000000000]"; }),
        ("shape overflowing 64 bits", (m, r) => Pick(m, r).ShapeJson = "[4294967296,4294967296,4294967296]"),
        ("many dimensions of size 1", (m, r) =>
        {
            var e = Pick(m, r);
            var ones = string.Concat(Enumerable.Repeat("1,", new[] { 60, 70, 200, 5000 }[r.Next(4)]));
            e.ShapeJson = "[" + ones + e.ShapeJson.TrimStart('[');
            if (e.ShapeJson.EndsWith(",]", StringComparison.Ordinal)) e.ShapeJson = e.ShapeJson[..^2] + "]";
        }),
        ("zero dimension with huge ones", (m, r) => Pick(m, r).ShapeJson = "[0,9223372036854775807]"),
        ("junk field value", (m, r) =>
        {
            var e = Pick(m, r);
            var junk = Junk[r.Next(Junk.Length)];
            switch (r.Next(3)) { case 0: e.DtypeJson = junk; break; case 1: e.ShapeJson = junk; break; default: e.OffsetsJson = junk; break; }
        }),
        ("junk inside an array", (m, r) => { var e = Pick(m, r); e.ShapeJson = $"[{Junk[r.Next(Junk.Length)]}]"; }),
        ("missing field", (m, r) => Pick(m, r).Omitted = new[] { "dtype", "shape", "data_offsets" }[r.Next(3)]),
        ("extra field", (m, r) => Pick(m, r).ExtraMembers = r.Next(2) == 0 ? "\"dtype\":\"F32\"" : "\"offsets\":[0,0]"),
        ("duplicate tensor name", (m, r) => { var e = Pick(m, r); m.ExtraRootMembers = $"{e.NameJson}:{{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}"; }),
        ("lone surrogate in a name", (m, r) => Pick(m, r).NameJson = r.Next(2) == 0 ? "\"\\uD800\"" : "\"a\\uDC00b\""),
        ("lone surrogate in metadata", (m, r) => m.MetadataJson = r.Next(2) == 0 ? "{\"k\":\"\\uDBFF\"}" : "{\"\\uD800\":\"v\"}"),
        ("metadata not strings", (m, r) => m.MetadataJson = new[] { "{\"k\":1}", "{\"k\":{\"a\":\"b\"}}", "[\"a\"]", "\"text\"", "{\"k\":null}" }[r.Next(5)]),
        ("metadata named twice", (m, r) => m.ExtraRootMembers = "\"__metadata__\":{}"),
        ("deep JSON", (m, r) => m.MetadataJson = new string('[', 2000 + r.Next(50_000)) + new string(']', 2000)),
        ("huge JSON", (m, r) =>
        {
            var keys = Enumerable.Range(0, 1000 + r.Next(20_000)).Select(i => $"\"k{i}\":\"{new string('v', r.Next(64))}\"");
            m.MetadataJson = "{" + string.Join(",", keys) + "}";
        }),
        ("entry not an object", (m, r) => m.ExtraRootMembers = $"\"extra\":{Junk[r.Next(Junk.Length)]}"),
        ("entries shuffled", (m, r) => { var shuffled = m.Entries.OrderBy(_ => r.Next()).ToList(); m.Entries.Clear(); m.Entries.AddRange(shuffled); }),
        ("data grown", (m, r) => m.Data = [.. m.Data, .. new byte[r.Next(1, 64)]]),
        ("data shrunk", (m, r) => m.Data = m.Data[..r.Next(0, m.Data.Length + 1)]),
    ];

    static readonly (string Name, Func<byte[], Random, byte[]> Apply)[] ByteLevel =
    [
        ("bytes flipped", (b, r) => { var c = (byte[])b.Clone(); for (var i = r.Next(1, 9); i > 0 && c.Length > 0; i--) c[r.Next(c.Length)] ^= (byte)(1 << r.Next(8)); return c; }),
        ("bytes randomised", (b, r) => { var c = (byte[])b.Clone(); for (var i = r.Next(1, 5); i > 0 && c.Length > 0; i--) c[r.Next(c.Length)] = (byte)r.Next(256); return c; }),
        ("truncated", (b, r) => b[..r.Next(0, b.Length)]),
        ("random tail appended", (b, r) => [.. b, .. Enumerable.Range(0, r.Next(1, 100)).Select(_ => (byte)r.Next(256))]),
        ("enormous header length", (b, r) => WithLength(b, new[] { ulong.MaxValue, 1UL << 63, 100_000_001UL, (ulong)long.MaxValue, 1UL << 40 }[r.Next(5)])),
        ("header length off by a little", (b, r) => WithLength(b, (ulong)Math.Max(0, (long)HeaderLength(b) + r.Next(-9, 10)))),
        ("header length zero", (b, r) => WithLength(b, 0)),
        ("header byte made invalid UTF-8", (b, r) =>
        {
            var c = (byte[])b.Clone();
            var headerBytes = (int)Math.Min(HeaderLength(b), (ulong)Math.Max(0, c.Length - 8));
            if (headerBytes > 0) c[8 + r.Next(headerBytes)] = (byte)(0x80 + r.Next(0x80)); // a lone continuation byte
            return c;
        }),
        ("not safetensors at all", (b, r) => r.Next(3) switch
        {
            0 => Encoding.ASCII.GetBytes("PK\u0003\u0004 pickled torch zip archive"),
            1 => [0x80, 0x02, (byte)'c', (byte)'t', (byte)'o', (byte)'r', (byte)'c', (byte)'h', 0x0a],
            _ => Enumerable.Range(0, r.Next(0, 200)).Select(_ => (byte)r.Next(256)).ToArray(),
        }),
    ];

    /// <summary>
    /// One case: a random valid file, then one to three mutations (structural ones first). A small share of
    /// cases stays unmutated so the accepting path is exercised too. Returns the bytes and what was done.
    /// </summary>
    public static (byte[] Bytes, string Description) Case(Random random)
    {
        var model = SafetensorsModel.RandomValid(random);
        var applied = new List<string>();
        if (random.Next(20) == 0) return (model.Bytes(), "unmutated");
        var structural = random.Next(3);
        for (var i = 0; i < structural; i++)
        {
            var (name, apply) = Structural[random.Next(Structural.Length)];
            apply(model, random);
            applied.Add(name);
        }
        var bytes = model.Bytes();
        var byteLevel = structural == 0 ? random.Next(1, 3) : random.Next(0, 2);
        for (var i = 0; i < byteLevel; i++)
        {
            var (name, apply) = ByteLevel[random.Next(ByteLevel.Length)];
            bytes = apply(bytes, random);
            applied.Add(name);
        }
        return (bytes, applied.Count == 0 ? "unmutated" : string.Join(" + ", applied));
    }

    static SafetensorsModel.Entry Pick(SafetensorsModel model, Random random) => model.Entries[random.Next(model.Entries.Count)];

    static long[] Offsets(SafetensorsModel.Entry entry)
    {
        var parts = entry.OffsetsJson.Trim('[', ']').Split(',');
        return parts.Length == 2 && long.TryParse(parts[0], out var a) && long.TryParse(parts[1], out var b) ? [a, b] : [0, 0];
    }

    static ulong HeaderLength(byte[] file) => file.Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(file) : 0;

    static byte[] WithLength(byte[] file, ulong length)
    {
        var c = file.Length >= 8 ? (byte[])file.Clone() : [.. file, .. new byte[8 - file.Length]];
        BinaryPrimitives.WriteUInt64LittleEndian(c, length);
        return c;
    }
}
