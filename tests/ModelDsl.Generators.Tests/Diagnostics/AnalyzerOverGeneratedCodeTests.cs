using System.Threading.Tasks;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>
/// In a build the analyzer sees the generator's output too: the generated constructor and base class must not be
/// mistaken for ones the user declared.
/// </summary>
public class AnalyzerOverGeneratedCodeTests
{
    [Theory]
    [InlineData(Declarations.TinyGpt)]
    [InlineData(Declarations.Classifier)]
    [InlineData(Declarations.Families)]
    public async Task ValidDeclarationsStayCleanAfterGeneration(string source) =>
        Assert.Empty(await AnalyzerRunner.AfterGenerationAsync(source));

    [Fact]
    public async Task UserConstructorIsStillReportedAfterGeneration()
    {
        var diagnostics = await AnalyzerRunner.AfterGenerationAsync("""
            using ModelDsl;
            [Gpt2(Layers = 2, Dim = 64, Heads = 4)]
            public partial class SmallGpt { public SmallGpt(int seed) { } }
            """);
        Assert.Equal("MDSL004", Assert.Single(diagnostics).Id);
    }
}
