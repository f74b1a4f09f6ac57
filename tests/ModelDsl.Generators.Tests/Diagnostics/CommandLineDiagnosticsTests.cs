using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>
/// MDSL240: with ModelDslCommandLine=true, the project's own entry point is an error, not a warning it may miss — and the
/// generator then leaves its Main out, so C# adds nothing (CS0017, CS7022) beside the MDSL error.
/// </summary>
public class CommandLineDiagnosticsTests
{
    const string Model = """
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;

        """;

    static Task VerifyAsync(string source, bool commandLine, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<ModelDslAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        if (commandLine)
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.ModelDslCommandLine = true\n"));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task Top_level_statements_shadowing_the_generated_main_are_an_error() => VerifyAsync(
        "{|#0:System.Console.WriteLine(\"hi\");|}\n" + Model, commandLine: true,
        AnalyzerVerifier.Diagnostic("MDSL240").WithLocation(0)
            .WithMessage("'Test0.cs' has top-level statements, which would replace the Main that ModelDslCommandLine=true generates (the command line would never run). "
                + "Move this code into a method, or set ModelDslCommandLine to false and call ModelDsl.CommandLine.ModelDslCommandLine.Run from your own Main."));

    [Fact]
    public Task A_second_main_is_an_error() => VerifyAsync(
        Model + "public static class Program { public static void {|#0:Main|}() { } }\n", commandLine: true,
        AnalyzerVerifier.Diagnostic("MDSL240").WithLocation(0)
            .WithMessage("'Program.Main' is a second entry point beside the Main that ModelDslCommandLine=true generates. "
                + "Rename or remove it, or set ModelDslCommandLine to false and call ModelDsl.CommandLine.ModelDslCommandLine.Run from your own Main."));

    [Theory]
    [InlineData("System.Console.WriteLine(\"hi\");\n")]
    [InlineData("public static class Program { public static void Main() { } }\n")]
    public void With_an_entry_point_of_its_own_the_program_gets_no_generated_Main_and_no_CSharp_error(string entryPoint)
    {
        var (result, output) = GeneratorHarness.Run(new Dictionary<string, string> { ["ModelDslCommandLine"] = "true" }, Model, entryPoint);

        Assert.DoesNotContain(result.GeneratedTrees, t => t.FilePath.EndsWith("ModelDslProgram.g.cs"));
        var asProgram = output.WithOptions(output.Options.WithOutputKind(OutputKind.ConsoleApplication));
        Assert.Empty(asProgram.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
    }

    [Fact]
    public void Without_an_entry_point_of_its_own_the_program_gets_the_generated_Main()
    {
        var (result, output) = GeneratorHarness.Run(new Dictionary<string, string> { ["ModelDslCommandLine"] = "true" }, Model);

        Assert.Contains(result.GeneratedTrees, t => t.FilePath.EndsWith("ModelDslProgram.g.cs"));
        var asProgram = output.WithOptions(output.Options.WithOutputKind(OutputKind.ConsoleApplication));
        Assert.Empty(asProgram.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
    }

    [Fact]
    public Task Without_the_generated_command_line_a_program_is_fine() => VerifyAsync(
        "System.Console.WriteLine(\"hi\");\n" + Model + "public static class Other { public static void Main() { } }\n", commandLine: false);
}
