using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Diagnostics;

public sealed class GeneratorFailureTests
{
    // Two valid families; a test makes the generator fail on the first.
    const string Source = """
        using ModelDsl;

        [Gpt2(Layers = 1, Dim = 8, Heads = 2, Vocab = 16, Context = 8)]
        public partial class Faulty;

        [Gpt2(Layers = 1, Dim = 8, Heads = 2, Vocab = 16, Context = 8)]
        public partial class Fine;
        """;

    [Fact]
    public void An_internal_error_is_reported_once_as_MDSL039_and_the_other_declarations_still_generate()
    {
        ModelGenerator.FailWhenParsing = "Faulty";
        try
        {
            var (result, _) = GeneratorHarness.Run(Source);
            var reported = Assert.Single(result.Diagnostics);
            Assert.Equal("MDSL039", reported.Id);
            Assert.Equal(
                "ModelDsl's generator failed on 'Faulty' (InvalidOperationException: failure injected by a test); its generated members are missing. " +
                "This is a bug in ModelDsl: please report it with this message.",
                reported.GetMessage(CultureInfo.InvariantCulture));
            Assert.Equal(["Fine.g.cs"], result.GeneratedTrees.Select(t => System.IO.Path.GetFileName(t.FilePath)).ToArray());
        }
        finally
        {
            ModelGenerator.FailWhenParsing = null;
        }
    }

    [Fact]
    public void With_the_command_line_on_an_internal_error_is_still_reported_once_and_Main_lists_the_other_declarations()
    {
        ModelGenerator.FailWhenParsing = "Faulty";
        try
        {
            var (result, output) = GeneratorHarness.Run(new Dictionary<string, string> { ["ModelDslCommandLine"] = "true" }, Source);
            var reported = Assert.Single(result.Diagnostics);
            Assert.Equal("MDSL039", reported.Id);
            Assert.StartsWith("ModelDsl's generator failed on 'Faulty' (InvalidOperationException: failure injected by a test)", reported.GetMessage(CultureInfo.InvariantCulture));
            Assert.Equal(["Fine.g.cs", "ModelDslProgram.g.cs"], result.GeneratedTrees.Select(t => System.IO.Path.GetFileName(t.FilePath)).Order().ToArray());
            var program = GeneratorHarness.RawGeneratedText(result, "ModelDslProgram");
            Assert.Contains("new global::Fine()", program);
            Assert.DoesNotContain("Faulty", program);
            // Built as the program it is, the project has its Main (no CS5001) and nothing else wrong.
            var asProgram = output.WithOptions(output.Options.WithOutputKind(OutputKind.ConsoleApplication));
            Assert.Empty(asProgram.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }
        finally
        {
            ModelGenerator.FailWhenParsing = null;
        }
    }
}
