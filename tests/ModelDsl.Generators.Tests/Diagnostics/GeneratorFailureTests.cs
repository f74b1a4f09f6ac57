using System.Globalization;
using System.Linq;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Diagnostics;

public sealed class GeneratorFailureTests
{
    [Fact]
    public void An_internal_error_is_reported_once_as_MDSL039_and_the_other_declarations_still_generate()
    {
        const string source = """
            using ModelDsl;

            [Gpt2(Layers = 1, Dim = 8, Heads = 2, Vocab = 16, Context = 8)]
            public partial class Faulty;

            [Gpt2(Layers = 1, Dim = 8, Heads = 2, Vocab = 16, Context = 8)]
            public partial class Fine;
            """;
        ModelGenerator.FailWhenParsing = "Faulty";
        try
        {
            var (result, _) = GeneratorHarness.Run(source);
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
}
