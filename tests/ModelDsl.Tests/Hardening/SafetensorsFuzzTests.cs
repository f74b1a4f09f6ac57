using System;
using System.Diagnostics;
using System.IO;
using ModelDsl.IO;
using ModelDsl.Tests.IO;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Thousands of damaged safetensors files (see <see cref="SafetensorsMutations"/>): each one either loads
/// faithfully or is refused with a <see cref="SafetensorsFormatException"/> that names the file and the problem.
/// No other exception type, no crash, and no allocation out of proportion to the file.
/// </summary>
public sealed class SafetensorsFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// Managed bytes one read may allocate: a fixed 256 KiB (exception and message, stack trace, dictionaries,
    /// the file stream) plus 16 bytes per byte of file (the header copy, its UTF-16 decoding for the UTF-8 check,
    /// the JSON document's index and the strings taken out of it). Tensor storage is native and is allocated only
    /// after the layout check proved it fits inside the file; the managed copy buffer is at most the tensor's size.
    /// </summary>
    public static long AllocationAllowance(long fileLength) => 256 * 1024 + 16 * fileLength;

    [Fact]
    public void Every_mutated_file_loads_faithfully_or_fails_with_a_format_error_naming_the_problem()
    {
        var cases = FuzzBudget.Cases(2000);
        var seed = FuzzBudget.Seed;
        using var dir = new TempDirectory();
        var path = dir.File("fuzz.safetensors");
        int accepted = 0, rejected = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < cases; i++)
        {
            var (bytes, description) = SafetensorsMutations.Case(FuzzBudget.ForCase(seed, i));
            var context = $"case {i} of seed {seed} ({description}, {bytes.Length} bytes)";
            File.WriteAllBytes(path, bytes);
            var before = GC.GetAllocatedBytesForCurrentThread();
            Exception? error = null;
            try
            {
                using var content = SafetensorsFile.Read(path);
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated <= AllocationAllowance(bytes.Length), $"{context}: accepted after allocating {allocated} managed bytes");
                SafetensorsOracle.RequireFaithful(bytes, content, context);
                accepted++;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException) { error = e; }
            if (error is null) continue;

            var spent = GC.GetAllocatedBytesForCurrentThread() - before;
            if (error is not SafetensorsFormatException format)
                throw new Xunit.Sdk.XunitException($"{context}: {error.GetType().Name} leaked instead of SafetensorsFormatException: {error}");
            Assert.Equal(path, format.FilePath);
            Assert.StartsWith($"'{path}' is not a valid safetensors file: ", format.Message);
            Assert.True(format.Message.Length > path.Length + 45, $"{context}: the message names no problem: {format.Message}");
            Assert.True(spent <= AllocationAllowance(bytes.Length), $"{context}: rejected after allocating {spent} managed bytes");
            rejected++;
        }
        output.WriteLine($"{cases} cases (seed {seed}): {accepted} accepted, {rejected} rejected, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(cases, accepted + rejected);
        Assert.True(accepted > 0 && rejected > 0, "the mutations must exercise both the accepting and the refusing paths");
    }
}
