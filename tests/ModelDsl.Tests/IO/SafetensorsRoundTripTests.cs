using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ModelDsl.IO;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.IO;

public sealed class SafetensorsRoundTripTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Int16)]
    [InlineData(ScalarType.Int8)]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Bool)]
    public void Every_dtype_round_trips_bit_exact(ScalarType type)
    {
        using var dir = new TempDirectory();
        using var generator = new torch.Generator(7);
        // Random bytes reinterpreted as the dtype: NaN payloads and subnormals must survive too.
        using var raw = randint(0, 256, [3, 5 * 8], dtype: ScalarType.Byte, generator: generator);
        using var bytes = type == ScalarType.Bool ? raw.remainder(2) : raw;
        using var probe = empty(1, dtype: type);
        using var original = empty([3, 5 * 8 / probe.ElementSize], dtype: type);
        original.bytes = bytes.bytes;   // reinterpret the random bytes as the dtype
        using var scalar = tensor(3.5, dtype: ScalarType.Float64);
        using var empty0 = zeros(new long[] { 0, 4 }, dtype: type);

        var path = dir.File("all.safetensors");
        SafetensorsFile.Write(path, [new("x", original), new("empty", empty0), new("s", scalar)],
            new Dictionary<string, string> { ["format"] = "pt" });

        using var content = SafetensorsFile.Read(path);
        Assert.Equal(["x", "empty", "s"], content.Tensors.Keys.ToArray());
        Assert.Equal("pt", content.Metadata["format"]);
        var read = content.Tensors["x"];
        Assert.Equal(type, read.dtype);
        Assert.Equal(original.shape, read.shape);
        Assert.Equal(original.bytes.ToArray(), read.bytes.ToArray());
        Assert.Equal(new long[] { 0, 4 }, content.Tensors["empty"].shape);
        Assert.Empty(content.Tensors["s"].shape);
        Assert.Equal(3.5, content.Tensors["s"].item<double>());
    }

    [Fact]
    public void Written_header_is_space_padded_to_8_bytes_and_keeps_the_given_order()
    {
        using var dir = new TempDirectory();
        using var b = ones([3], dtype: ScalarType.Float16);
        using var a = arange(5, dtype: ScalarType.Int8);
        var path = dir.File("order.safetensors");
        SafetensorsFile.Write(path, [new("zeta", b), new("alpha", a)]);

        var file = File.ReadAllBytes(path);
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, (8 + headerLength) % 8);
        var header = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.True(header.IndexOf("zeta") < header.IndexOf("alpha"), header);
        var json = header.TrimEnd(' ');
        Assert.InRange(header.Length - json.Length, 0, 7);   // only the padding is trailing spaces
        using (System.Text.Json.JsonDocument.Parse(json)) { }
        Assert.Equal(8 + headerLength + 3 * 2 + 5, file.Length);
        // Data: three F16 ones (0x3C00 little-endian) then 0..4.
        Assert.Equal(new byte[] { 0x00, 0x3C, 0x00, 0x3C, 0x00, 0x3C, 0, 1, 2, 3, 4 }, file[(int)(8 + headerLength)..]);
    }

    [Fact]
    public void Hand_built_file_reads_correctly()
    {
        using var dir = new TempDirectory();
        var path = dir.File("hand.safetensors");
        var json = """{"__metadata__":{"who":"test"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"i":{"dtype":"I64","shape":[1],"data_offsets":[16,24]}}""";
        var data = new List<byte>();
        foreach (var value in new[] { 1.0f, -2.0f, 0.5f, 1e-3f }) data.AddRange(System.BitConverter.GetBytes(value));
        data.AddRange(System.BitConverter.GetBytes(-42L));
        File.WriteAllBytes(path, SafetensorsBytes.Build(json, data.ToArray()));

        using var content = SafetensorsFile.Read(path);
        Assert.Equal("test", content.Metadata["who"]);
        Assert.Equal(new[] { 1.0f, -2.0f, 0.5f, 1e-3f }, content.Tensors["w"].data<float>().ToArray());
        Assert.Equal(new long[] { 2, 2 }, content.Tensors["w"].shape);
        Assert.Equal(-42L, content.Tensors["i"].item<long>());
    }

    [Fact]
    public void Atomic_write_leaves_the_old_file_when_the_writer_fails()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.bin");
        File.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(Encoding.UTF8.GetBytes("half"));
            throw new IOException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));

        AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes("new")));
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
