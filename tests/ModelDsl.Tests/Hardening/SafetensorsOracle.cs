using System;
using System.Buffers.Binary;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using Xunit;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Checks a file the reader accepted against the file itself: every header entry is a loaded tensor of that
/// shape whose bytes are exactly the indexed slice of the data buffer, and the slices tile the buffer.
/// </summary>
internal static class SafetensorsOracle
{
    public static void RequireFaithful(byte[] file, SafetensorsContent content, string context)
    {
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        var dataStart = 8 + headerLength;
        using var header = JsonDocument.Parse(file.AsMemory(8, headerLength));
        var indexed = 0L;
        var entries = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToList();
        Assert.True(entries.Count == content.Tensors.Count, $"{context}: {entries.Count} entries in the header, {content.Tensors.Count} tensors loaded");
        foreach (var entry in entries)
        {
            Assert.True(content.Tensors.TryGetValue(entry.Name, out var tensor), $"{context}: '{entry.Name}' was not loaded");
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            Assert.True(shape.SequenceEqual(tensor!.shape), $"{context}: '{entry.Name}' loaded with another shape");
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var expected = file.AsSpan(checked((int)(dataStart + offsets[0])), checked((int)(offsets[1] - offsets[0])));
            Assert.True(expected.SequenceEqual(tensor.bytes), $"{context}: '{entry.Name}' bytes differ from the file's slice");
            indexed += offsets[1] - offsets[0];
        }
        Assert.True(indexed == file.Length - dataStart, $"{context}: {indexed} bytes indexed of {file.Length - dataStart}");
    }
}
