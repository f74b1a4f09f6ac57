using System;
using System.IO;
using System.Linq;
using ModelDsl.Tests.Examples;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Packaging;

/// <summary>
/// Packs <c>src/Runtime</c> into the one <c>ModelDsl</c> package and uses it from a project outside the repository,
/// through a local feed: the generator, the analyzers and the native-library fix must all arrive through the package.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackageConsumerTests(LocalPackageFeed package, ITestOutputHelper output)
{
    const string Declarations = """
        [Gpt2(Layers = 1, Dim = 16, Heads = 2, Vocab = 32, Context = 8)]
        public partial class Tiny;

        [FineTune<Tiny>, LoRA(RANK, Targets = ["c_attn"])]
        public partial class TinyLora;
        """;

    [Fact]
    public void A_project_outside_the_repository_generates_runs_and_is_checked_from_the_package()
    {
        var consumer = package.NewFolder("consumer");
        package.WriteConsumer(consumer);
        File.WriteAllText(Path.Combine(consumer, "Declarations.cs"), "using ModelDsl;\n" + Declarations.Replace("RANK", "4"));
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """
            using var setup = new TinyLora(new Tiny());
            Console.WriteLine($"{Tiny.ParameterCount} {TinyLora.TrainableParameterCount} {setup.CountTrainableParameters()}");
            foreach (var type in new[] { typeof(Tiny), typeof(TinyLora) })
                foreach (var stamp in type.GetCustomAttributes(typeof(System.CodeDom.Compiler.GeneratedCodeAttribute), false).Cast<System.CodeDom.Compiler.GeneratedCodeAttribute>())
                    Console.WriteLine($"generated {type.Name} by {stamp.Tool} {stamp.Version}");
            """);

        var run = Dotnet(consumer, "run");
        AssertSucceeded(run, "run");
        // GPT-2 with 1 block of width 16, vocabulary 32, context 8, tied head: 512 + 128 + 3,280 + 32 = 3,952.
        // LoRA rank 4 on c_attn [48 × 16]: A 4 × 16 + B 48 × 4 = 256.
        Assert.Contains("3952 256 256", run.Stdout);
        // The generated code is stamped with the version of the package it came from (packed here under a version of its own).
        Assert.Contains($"generated Tiny by ModelDsl.Generators {package.Version}\n", run.Stdout.Replace("\r\n", "\n"));
        Assert.Contains($"generated TinyLora by ModelDsl.Generators {package.Version}\n", run.Stdout.Replace("\r\n", "\n"));

        // The analyzers come with the package: a rank above the layer's smaller dimension fails the build.
        File.WriteAllText(Path.Combine(consumer, "Declarations.cs"), "using ModelDsl;\n" + Declarations.Replace("RANK", "100"));
        var build = Dotnet(consumer, "build");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("MDSL101", build.Stdout);
    }

    [Fact]
    public void The_package_depends_on_TorchSharp_and_leaves_the_LibTorch_backend_to_the_application()
    {
        var nupkg = Directory.GetFiles(package.Feed, "ModelDsl.*.nupkg").Single();
        using var archive = System.IO.Compression.ZipFile.OpenRead(nupkg);
        using var reader = new StreamReader(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var dependencies = System.Xml.Linq.XDocument.Parse(reader.ReadToEnd()).Descendants()
            .Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
        Assert.Contains("TorchSharp", dependencies);
        Assert.DoesNotContain(dependencies, id => id.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase));
        // The Debian libstdc++ fix ships with the package and applies to whichever CPU backend the application picks.
        Assert.Contains(archive.Entries, e => e.FullName == "buildTransitive/LibTorchSharpGlibcxx.targets");
    }

    DotnetResult Dotnet(string workingDirectory, string arguments)
    {
        var result = DotnetCommand.Run(arguments, workingDirectory, TimeSpan.FromMinutes(5));
        output.WriteLine($"$ dotnet {arguments} → {result.ExitCode}");
        return result;
    }

    static void AssertSucceeded(DotnetResult result, string what) =>
        Assert.True(result.ExitCode == 0, $"dotnet {what} exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
}
