using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Snapshots;

public sealed class GeneratedCodeVersionTests
{
    [Fact]
    public void Generated_code_carries_the_package_version()
    {
        var text = GeneratorHarness.RawGeneratedText(GeneratorHarness.Run(Declarations.Families).Result, "StoryGpt");
        Assert.Matches(@"^\d+\.\d+\.\d+", GeneratorHarness.PackageVersion);
        Assert.Contains($"[global::System.CodeDom.Compiler.GeneratedCode(\"ModelDsl.Generators\", \"{GeneratorHarness.PackageVersion}\")]", text);
        // The runtime assembly is the package's; its version is the same.
        Assert.StartsWith(GeneratorHarness.PackageVersion, typeof(ModelDsl.Layers.Linear).Assembly.GetName().Version!.ToString());
    }
}
