using System.Collections.Generic;
using System.IO;

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
    public void Write(string path) => BenchmarkJson.Write(this, path);
}
