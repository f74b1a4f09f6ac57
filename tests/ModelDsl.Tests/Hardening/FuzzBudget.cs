using System;
using System.Globalization;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// How many cases a fuzz test runs and from which seed. The normal test run uses the defaults; a longer
/// campaign sets <c>MODELDSL_FUZZ_CASES</c> (e.g. 200000) and, to explore other inputs, <c>MODELDSL_FUZZ_SEED</c>.
/// A failure message names the seed and the case number, which reproduce it.
/// </summary>
internal static class FuzzBudget
{
    public const string CasesVariable = "MODELDSL_FUZZ_CASES";
    public const string SeedVariable = "MODELDSL_FUZZ_SEED";

    public static int Cases(int normalRun) => Read(CasesVariable, normalRun, minimum: 1);

    public static int Seed => Read(SeedVariable, 20261126, minimum: 0);

    /// <summary>The random source of one case: independent of every other case, so one case reproduces alone.</summary>
    public static Random ForCase(int seed, int index) => new(unchecked(seed * 1_000_003 + index));

    static int Read(string variable, int fallback, int minimum)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum)
            throw new InvalidOperationException($"{variable} is '{text}'; set it to a whole number of at least {minimum}.");
        return value;
    }
}
