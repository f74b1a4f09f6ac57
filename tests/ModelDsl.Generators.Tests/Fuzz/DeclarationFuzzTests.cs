using System;
using System.Globalization;
using CsCheck;
using Xunit;

namespace ModelDsl.Generators.Tests.Fuzz;

/// <summary>
/// Thousands of declarations — extreme values, missing and mistyped arguments, unknown names, code cut short — through the
/// generator and the analyzer: neither may throw, mistakes must be reported, valid models (and setups the analyzer
/// accepts) must compile.
/// Set MODELDSL_FUZZ_CASES to run more (or fewer) than the default 2,000; CsCheck prints the seed of a failure.
/// </summary>
public class DeclarationFuzzTests
{
    static long Cases =>
        long.TryParse(Environment.GetEnvironmentVariable("MODELDSL_FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2000;

    static readonly Gen<FuzzCase> AllCases = Mutations.Apply(Gen.Frequency(
        (2, FamilyCases.Gpt2), (4, FamilyCases.Decoders), (2, FamilyCases.FromConfig), (3, ModelCases.Model), (3, SetupCases.Setup)));

    [Fact]
    public void GeneratorAndAnalyzerHoldOnArbitraryDeclarations() =>
        AllCases.Sample(FuzzRunner.Check, iter: Cases, print: c => c.ToString());
}
