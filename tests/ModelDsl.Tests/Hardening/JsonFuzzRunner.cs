using System;
using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Runs a reader over mutated JSON (see <see cref="JsonMutations"/>): it must succeed or throw the SDK's own
/// exception type with a message; any other exception (JsonException, InvalidCastException, OverflowException,
/// NullReferenceException, …) fails the test with the case that produced it.
/// </summary>
internal static class JsonFuzzRunner
{
    /// <summary>
    /// Managed bytes a parse may allocate: 128 KiB fixed plus 32 bytes per character of text (the UTF-8 copy,
    /// the document's index, strings taken out of it). No configuration may allocate what its sizes describe.
    /// </summary>
    public static long AllocationAllowance(int textLength) => 128 * 1024 + 32L * textLength;

    public static void Run<TExpected>(ITestOutputHelper output, string name, string valid, int normalCases, Action<string> read,
        Action<string>? onSuccess = null, bool checkAllocation = true) where TExpected : Exception
    {
        var cases = FuzzBudget.Cases(normalCases);
        var seed = FuzzBudget.Seed;
        int accepted = 0, rejected = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < cases; i++)
        {
            var (json, description) = JsonMutations.Case(valid, FuzzBudget.ForCase(seed, i));
            var context = $"{name} case {i} of seed {seed} ({description})";
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read(json);
                accepted++;
                onSuccess?.Invoke(json);
            }
            catch (TExpected e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{context}: empty message");
                rejected++;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"{context}: {e.GetType().Name} leaked instead of {typeof(TExpected).Name}: {e}");
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(!checkAllocation || allocated <= AllocationAllowance(json.Length), $"{context}: allocated {allocated} managed bytes for {json.Length} characters");
        }
        output.WriteLine($"{name}: {cases} cases (seed {seed}): {accepted} accepted, {rejected} rejected, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(accepted > 0 && rejected > 0, $"{name}: the mutations must exercise both the accepting and the refusing paths");
    }
}
