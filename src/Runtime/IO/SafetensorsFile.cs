using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using TorchSharp;
using System.Text.Encodings.Web;
using System.Text.Json;
using static TorchSharp.torch;

namespace ModelDsl.IO;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a UTF-8 JSON header
/// (<c>name → {dtype, shape, data_offsets}</c> plus an optional <c>__metadata__</c> of strings), then the raw
/// little-endian tensor bytes. The reader checks every structural rule before it allocates tensor memory;
/// nothing in a file is ever executed.
/// </summary>
public static class SafetensorsFile
{
    const int CopyBufferBytes = 1 << 20;

    /// <summary>
    /// Reads every tensor of <paramref name="path"/> (onto <paramref name="device"/>, CPU by default).
    /// Throws <see cref="SafetensorsFormatException"/> naming the file and the problem when it breaks the format.
    /// </summary>
    public static SafetensorsContent Read(string path, Device? device = null) => Read(path, device, select: null);

    /// <summary>
    /// Reads the tensors of <paramref name="path"/> whose names <paramref name="select"/> accepts (all when null);
    /// the whole header is validated either way. Loading a checkpoint uses it to skip buffers and read one tensor.
    /// </summary>
    internal static SafetensorsContent Read(string path, Device? device, Func<string, bool>? select)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndianHost();
        if (!File.Exists(path))
            throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);

        // Unbuffered: the header and each tensor are read in one sized request, and a fixed 1 MB stream buffer
        // would be allocated even for a file of a few bytes.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var (entries, metadata, dataStart) = ReadHeader(path, stream);

        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in entries)
            {
                if (select is not null && !select(entry.Name)) continue;
                var tensor = empty(entry.Shape, dtype: entry.Type, device: CPU);
                tensors.Add(entry.Name, tensor);
                var length = entry.End - entry.Begin;
                if (length == 0) continue;
                stream.Seek(dataStart + entry.Begin, SeekOrigin.Begin);
                tensor.ReadBytesFromStream(stream, BufferFor(length));
            }
            if (device is not null && device.type != DeviceType.CPU)
                foreach (var name in new List<string>(tensors.Keys))
                {
                    var onCpu = tensors[name];
                    tensors[name] = onCpu.to(device);
                    onCpu.Dispose();
                }
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        return new SafetensorsContent(tensors, metadata);
    }

    // TorchSharp allocates a copy buffer of the given size per call: no bigger than the tensor.
    static int BufferFor(long bytes) => (int)Math.Clamp(bytes, 1, CopyBufferBytes);

    /// <summary>The validated header entries of <paramref name="path"/> (names, dtypes, shapes) without reading tensor data.</summary>
    internal static IReadOnlyList<SafetensorsEntry> ReadEntries(string path) => ReadHeaderOnly(path).Entries;

    /// <summary>The validated header of <paramref name="path"/>: its entries and its <c>__metadata__</c>, without reading tensor data.</summary>
    internal static (IReadOnlyList<SafetensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata) ReadHeaderOnly(string path)
    {
        RequireLittleEndianHost();
        if (!File.Exists(path))
            throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var (entries, metadata, _) = ReadHeader(path, stream);
        return (entries, metadata);
    }

    static (List<SafetensorsEntry>, Dictionary<string, string>, long) ReadHeader(string path, FileStream stream)
    {
        var fileLength = stream.Length;
        if (fileLength < 8)
            throw new SafetensorsFormatException(path, $"it is {fileLength} bytes long, shorter than the 8-byte header length.");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > SafetensorsHeader.MaxHeaderBytes)
            throw new SafetensorsFormatException(path,
                $"the header length {headerLength} exceeds the {SafetensorsHeader.MaxHeaderBytes}-byte limit.");
        if ((long)headerLength > fileLength - 8)
            throw new SafetensorsFormatException(path,
                $"the header length {headerLength} runs past the end of the file ({fileLength - 8} bytes follow the length).");

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        var (entries, metadata) = SafetensorsHeader.Parse(path, header, fileLength - dataStart);
        return (entries, metadata, dataStart);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (in the given order) and optional string <paramref name="metadata"/> to
    /// <paramref name="path"/> atomically (<see cref="AtomicFile"/>). The header is padded with spaces to a multiple
    /// of 8 bytes, as the reference implementation does, and the data is contiguous little-endian.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        RequireLittleEndianHost();

        var items = new List<(string Name, Tensor Tensor)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (name == "__metadata__")
                throw new ArgumentException("A tensor cannot be named '__metadata__' (the key is reserved for metadata).", nameof(tensors));
            if (!names.Add(name))
                throw new ArgumentException($"Tensor name '{name}' is given twice; names in a safetensors file must be unique.", nameof(tensors));
            items.Add((name, tensor));
        }

        var header = BuildHeader(items, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var (_, tensor) in items)
            {
                if (tensor.numel() == 0) continue;
                using var scope = NewDisposeScope();
                var cpu = tensor.detach().to(CPU).contiguous();
                cpu.WriteBytesToStream(stream, BufferFor(cpu.numel() * cpu.ElementSize));
            }
        });
    }

    static byte[] BuildHeader(List<(string Name, Tensor Tensor)> items, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in items)
            {
                var bytes = checked(tensor.numel() * tensor.ElementSize);
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDtype.NameOf(tensor.dtype));
                json.WriteStartArray("shape");
                foreach (var size in tensor.shape) json.WriteNumberValue(size);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        // Pad with spaces so the data starts 8-byte aligned (8 + header length is a multiple of 8).
        var padding = (int)((8 - buffer.Length % 8) % 8);
        for (var i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    static void RequireLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors data is little-endian; this reader and writer run on little-endian hosts only.");
    }
}
