using System.IO;
using System.Text.Json;

namespace ModelDsl.Benchmarks;

/// <summary>How every benchmark writes its result: indented camel-case JSON, the folder created when missing.</summary>
internal static class BenchmarkJson
{
    static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Write<T>(T result, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(result, Options) + "\n");
    }
}
