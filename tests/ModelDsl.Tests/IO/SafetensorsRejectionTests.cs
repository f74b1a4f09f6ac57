using System.IO;
using System.Text;
using ModelDsl.IO;
using Xunit;

namespace ModelDsl.Tests.IO;

/// <summary>One test per rule of the format: each broken file is rejected with a message naming the file and the problem.</summary>
public sealed class SafetensorsRejectionTests
{
    static SafetensorsFormatException Reject(byte[] bytes)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Read(path).Dispose());
        Assert.Contains(path, error.Message);
        return error;
    }

    static SafetensorsFormatException Reject(string header, int dataBytes) =>
        Reject(SafetensorsBytes.Build(header, new byte[dataBytes]));

    const string OneF32 = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";

    [Fact]
    public void Valid_baseline_is_accepted()
    {
        using var dir = new TempDirectory();
        var path = dir.File("ok.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes.Build(OneF32, new byte[8]));
        using var content = SafetensorsFile.Read(path);
        Assert.Single(content.Tensors);
    }

    [Fact]
    public void File_shorter_than_the_length_prefix() =>
        Assert.Contains("shorter than the 8-byte", Reject(new byte[5]).Message);

    [Fact]
    public void Header_larger_than_100_MB() =>
        Assert.Contains("exceeds", Reject(SafetensorsBytes.Build(new byte[2], [], declaredHeaderLength: 100_000_001UL)).Message);

    [Fact]
    public void Header_running_past_the_end_of_the_file() =>
        Assert.Contains("runs past the end", Reject(SafetensorsBytes.Build(Encoding.UTF8.GetBytes("{}"), [], declaredHeaderLength: 50)).Message);

    [Fact]
    public void Header_that_is_not_utf8() =>
        Assert.Contains("not valid UTF-8", Reject(SafetensorsBytes.Build([(byte)'{', 0xFF, 0xFE, (byte)'}'], [])).Message);

    [Fact]
    public void Header_that_is_not_json() =>
        Assert.Contains("not valid JSON", Reject("{\"a\": ", 0).Message);

    [Fact]
    public void Header_that_is_not_an_object() =>
        Assert.Contains("must be a JSON object", Reject("[1,2]", 0).Message);

    [Fact]
    public void Unknown_dtype() =>
        Assert.Contains("unknown dtype \"F8\"", Reject("""{"a":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}}""", 2).Message);

    [Fact]
    public void Missing_field() =>
        Assert.Contains("must have the fields", Reject("""{"a":{"dtype":"F32","shape":[2]}}""", 0).Message);

    [Fact]
    public void Negative_shape() =>
        Assert.Contains("non-negative integers, found -2", Reject("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8).Message);

    [Fact]
    public void Shape_whose_byte_size_overflows() =>
        Assert.Contains("too large", Reject("""{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}""", 8).Message);

    [Fact]
    public void Shape_that_does_not_match_the_offsets()
    {
        var message = Reject("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8).Message;
        Assert.Contains("'a'", message);
        Assert.Contains("needs 12 bytes", message);
        Assert.Contains("span 8", message);
    }

    [Fact]
    public void Offsets_ending_before_they_begin() =>
        Assert.Contains("end before they begin", Reject("""{"a":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}""", 4).Message);

    [Fact]
    public void Overlapping_tensors() =>
        Assert.Contains("overlaps", Reject("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8).Message);

    [Fact]
    public void Gap_between_tensors() =>
        Assert.Contains("unindexed bytes before tensor 'b'", Reject("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12).Message);

    [Fact]
    public void Data_not_starting_at_zero() =>
        Assert.Contains("unindexed bytes before tensor 'a'", Reject("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8).Message);

    [Fact]
    public void Trailing_bytes_not_indexed() =>
        Assert.Contains("3 trailing data bytes", Reject(OneF32, 11).Message);

    [Fact]
    public void Truncated_data() =>
        Assert.Contains("truncated", Reject(OneF32, 6).Message);

    [Fact]
    public void Metadata_value_that_is_not_a_string() =>
        Assert.Contains("'__metadata__' entry 'n' must be a string", Reject("""{"__metadata__":{"n":3}}""", 0).Message);

    [Fact]
    public void Duplicate_tensor_name() =>
        Assert.Contains("names 'a' twice", Reject("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", 2).Message);

    [Fact]
    public void Missing_file_names_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "modeldsl-does-not-exist.safetensors");
        var error = Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Read(path));
        Assert.Contains(path, error.Message);
    }
}
