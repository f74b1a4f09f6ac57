using System;
using System.IO;
using System.Text;
using ModelDsl.IO;
using ModelDsl.Tests.IO;
using Xunit;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Files that describe more than they hold are refused before anything of the described size is allocated:
/// the managed allocation of the failed read stays within a small fixed amount.
/// </summary>
public sealed class SafetensorsLimitTests
{
    const long SmallAllocation = 256 * 1024;

    static (SafetensorsFormatException Error, long Allocated) Refuse(string path)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Read(path).Dispose());
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_header_claiming_a_10_TB_tensor_fails_before_allocating_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("claims-10tb.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes.Build("""{"w":{"dtype":"F32","shape":[2500000000000],"data_offsets":[0,10000000000000]}}""", new byte[16]));

        var (error, allocated) = Refuse(path);

        Assert.Contains("need 10000000000000 data bytes but the file holds only 16", error.Message);
        Assert.True(allocated < SmallAllocation, $"allocated {allocated} bytes to refuse the file");
    }

    [Fact]
    public void A_header_length_over_100_MB_in_a_file_that_long_is_refused_without_reading_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("huge-header.safetensors");
        using (var stream = File.Create(path))
        {
            stream.Write(BitConverter.GetBytes(100_000_001UL));
            stream.SetLength(8 + 100_000_001L + 8); // sparse: the claimed header is really there, as zeros
        }

        var (error, allocated) = Refuse(path);

        Assert.Contains("header length 100000001 exceeds the 100000000-byte limit", error.Message);
        Assert.True(allocated < SmallAllocation, $"allocated {allocated} bytes to refuse the file");
    }

    [Fact]
    public void Deeply_nested_json_is_refused_by_the_depth_limit()
    {
        using var dir = new TempDirectory();
        var path = dir.File("deep.safetensors");
        var deep = new string('[', 100_000) + new string(']', 100_000);
        File.WriteAllBytes(path, SafetensorsBytes.Build("{\"__metadata__\":{\"k\":" + deep + "}}", []));

        var (error, allocated) = Refuse(path);

        Assert.Contains("not valid JSON", error.Message);
        Assert.Contains("depth", error.Message);
        Assert.True(allocated < SafetensorsFuzzTests.AllocationAllowance(new FileInfo(path).Length), $"allocated {allocated} bytes");
    }

    [Fact]
    public void An_escaped_unpaired_surrogate_is_a_format_error_not_a_crash()
    {
        using var dir = new TempDirectory();
        var path = dir.File("surrogate.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes.Build(Encoding.UTF8.GetBytes("""{"\uD800":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}"""), []));

        var (error, _) = Refuse(path);

        Assert.Contains("unpaired UTF-16 surrogate", error.Message);
    }

    [Fact]
    public void Checking_entries_without_reading_data_applies_the_same_rules()
    {
        using var dir = new TempDirectory();
        var path = dir.File("claims-10tb.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes.Build("""{"w":{"dtype":"F32","shape":[2500000000000],"data_offsets":[0,10000000000000]}}""", new byte[16]));

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.ReadEntries(path));

        Assert.Contains("need 10000000000000 data bytes", error.Message);
    }
}
