using System.Linq;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Snapshots;

public class GeneratedCodeCompilesTests
{
    [Theory]
    [InlineData(nameof(Declarations.TinyGpt))]
    [InlineData(nameof(Declarations.Classifier))]
    [InlineData(nameof(Declarations.Families))]
    [InlineData(nameof(Declarations.Setups))]
    [InlineData(nameof(Declarations.PreferenceSetups))]
    [InlineData(nameof(Declarations.Clients))]
    [InlineData(nameof(Declarations.NewFamilies))]
    [InlineData(nameof(Declarations.AsyncClients))]
    public void GeneratedCodeCompilesWithoutErrorsOrWarnings(string declaration)
    {
        var source = (string)typeof(Declarations).GetField(declaration)!.GetValue(null)!;
        var (result, output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.NotEmpty(result.GeneratedTrees);
        var problems = GeneratorHarness.Problems(output);
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Select(p => p.ToString())));
    }

    [Fact]
    public void FromConfigAndASetupOverItCompileWithoutErrorsOrWarnings()
    {
        var (result, output) = GeneratorHarness.RunWithFiles([Declarations.TinyQwen2Config()], Declarations.FromConfig);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.GeneratedTrees.Length);
        var problems = GeneratorHarness.Problems(output);
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Select(p => p.ToString())));
    }

    [Fact]
    public void FromConfigWithoutItsFileGetsStubsThatThrowItsDiagnosticAndCodeUsingThemCompiles()
    {
        const string usage = """
            public static class Usage
            {
                public static void Use() { using var model = new Demo.Configs.TinyQwenFromConfig(); _ = Demo.Configs.TinyQwenFromConfig.ParameterCount; }
            }
            """;
        var (result, output) = GeneratorHarness.RunWithFiles([], Declarations.FromConfig, usage);
        Assert.NotEmpty(result.GeneratedTrees);
        Assert.All(result.GeneratedTrees, tree => Assert.Contains("\"MDSL022\"", tree.GetText().ToString()));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
    }

    [Fact]
    public void InputWithoutGeneratorDoesNotCompile_SoTheCompileTestMeansSomething()
    {
        // Without the generated half, the partial properties have no implementation (CS9248).
        var problems = GeneratorHarness.Problems(GeneratorHarness.Compile(Declarations.TinyGpt));
        Assert.Contains(problems, p => p.Id == "CS9248");
    }

    [Fact]
    public void OutputIsDeterministic()
    {
        var first = GeneratorHarness.Run(Declarations.TinyGpt).Result.GeneratedTrees.Select(t => t.GetText().ToString());
        var second = GeneratorHarness.Run(Declarations.TinyGpt).Result.GeneratedTrees.Select(t => t.GetText().ToString());
        Assert.Equal(first, second);
    }
}
