using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace ModelDsl.Benchmarks;

/// <summary>One decoding setup measured with and without the constraint.</summary>
internal sealed record StructuredCase(string Name, int Rows, int Steps, double UnconstrainedMsPerStep, double ConstrainedMsPerStep)
{
    /// <summary>Constrained step time over unconstrained (target at most 1.10).</summary>
    public double Ratio => ConstrainedMsPerStep / UnconstrainedMsPerStep;
}

/// <summary>Structured-output costs, written as JSON.</summary>
internal sealed record StructuredResult(string Model, int Threads, int NewTokens, string LoadAverageBefore, string LoadAverageAfter,
    double SchemaCompileMs, int AutomatonStates, double TokenTableMs, double MaskWalkMs, int AllowedTokensInString,
    double FirstConstrainedDecodeMs, IReadOnlyList<StructuredCase> Cases)
{
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var json = JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        File.WriteAllText(path, json + "\n");
    }
}
