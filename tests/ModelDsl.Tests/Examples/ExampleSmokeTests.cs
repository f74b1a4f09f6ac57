using System;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Examples;

/// <summary>
/// Runs each focused example as a child process with a tiny budget. The examples are project references, so their
/// assemblies sit next to this one; each exits non-zero when its own claim (the loss falls, the reload matches) fails.
/// </summary>
public sealed class ExampleSmokeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("LoraFinetune", "30", "merged vs unmerged")]
    [InlineData("PromptTuning", "20", "reloaded adapter")]
    [InlineData("TypedClient", "", "fit in the")]
    [InlineData("CustomModel", "150", "accuracy")]
    [InlineData("HfCheckpoint", "", "reloaded: logits identical = True")]
    public void Example_runs_and_reports(string example, string arguments, string expected)
    {
        var (exitCode, stdout, stderr) = Run(example, arguments);
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        Assert.True(exitCode == 0, $"{example} exited with {exitCode}: {stderr}");
        Assert.Contains(expected, stdout);
    }

    static (int ExitCode, string Stdout, string Stderr) Run(string example, string arguments)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, example + ".dll");
        Assert.True(File.Exists(assembly), $"{assembly} is missing: the test project must reference examples/{example}.");
        var result = DotnetCommand.Run($"\"{assembly}\" {arguments}", AppContext.BaseDirectory, TimeSpan.FromMinutes(3));
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
