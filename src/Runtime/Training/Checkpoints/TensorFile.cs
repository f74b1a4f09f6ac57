using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace ModelDsl.Training.Checkpoints;

/// <summary>
/// Checkpoint tensors in the safetensors layout (8-byte little-endian header length, a JSON header of
/// name → dtype, shape, byte offsets, then the raw little-endian data). Never pickle.
/// </summary>
static class TensorFile
{
    static readonly Dictionary<ScalarType, string> Names = new()
    {
        [ScalarType.Float32] = "F32", [ScalarType.Float64] = "F64", [ScalarType.Float16] = "F16",
        [ScalarType.BFloat16] = "BF16", [ScalarType.Int64] = "I64", [ScalarType.Int32] = "I32", [ScalarType.Byte] = "U8",
    };

    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        // The scope frees the CPU copies, however many intermediate handles detach/cpu/contiguous make.
        using var scope = NewDisposeScope();
        var items = tensors.Select(kv => (kv.Key, Tensor: kv.Value.detach().cpu().contiguous())).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        {
            var header = new Dictionary<string, object>();
            long offset = 0;
            foreach (var (name, t) in items)
            {
                if (!Names.TryGetValue(t.dtype, out var dtype))
                    throw new NotSupportedException($"Tensor '{name}' has dtype {t.dtype}, which checkpoints do not store.");
                var size = t.NumberOfElements * t.ElementSize;
                header[name] = new { dtype, shape = t.shape, data_offsets = new[] { offset, offset + size } };
                offset += size;
            }
            var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
            var padded = (json.Length + 7) / 8 * 8; // align the data as the format recommends
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, padded);
            stream.Write(length);
            stream.Write(json);
            for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, t) in items) stream.Write(t.bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    public static Dictionary<string, Tensor> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new InvalidDataException($"'{path}' is too short to be a safetensors file.");
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (headerLength < 2 || 8 + headerLength > bytes.Length)
            throw new InvalidDataException($"'{path}': header length {headerLength} does not fit in {bytes.Length} bytes.");
        using var document = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var dataStart = 8 + headerLength;
        var result = new Dictionary<string, Tensor>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__") continue;
            var dtypeName = entry.Value.GetProperty("dtype").GetString();
            var dtype = Names.FirstOrDefault(kv => kv.Value == dtypeName).Key;
            if (!Names.ContainsKey(dtype) || Names[dtype] != dtypeName)
                throw new InvalidDataException($"'{path}': tensor '{entry.Name}' has unsupported dtype {dtypeName}.");
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var tensor = empty(shape, dtype);
            var size = tensor.NumberOfElements * tensor.ElementSize;
            if (offsets.Length != 2 || offsets[1] - offsets[0] != size || dataStart + offsets[1] > bytes.Length || offsets[0] < 0)
            {
                tensor.Dispose();
                throw new InvalidDataException($"'{path}': tensor '{entry.Name}' has data offsets that do not match its shape or the file.");
            }
            tensor.bytes = bytes.AsSpan((int)(dataStart + offsets[0]), (int)size);
            result[entry.Name] = tensor;
        }
        return result;
    }
}
