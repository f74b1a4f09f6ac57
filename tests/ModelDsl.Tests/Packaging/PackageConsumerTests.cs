using System;
using System.IO;
using ModelDsl.Tests.Examples;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Packaging;

/// <summary>
/// Packs <c>src/Runtime</c> into the one <c>ModelDsl</c> package and uses it from a project outside the repository,
/// through a local feed: the generator, the analyzers and the native-library fix must all arrive through the package.
/// </summary>
public sealed class PackageConsumerTests(ITestOutputHelper output)
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
        using var work = new IO.TempDirectory();
        var version = $"0.0.0-test.{Guid.NewGuid():N}";
        var feed = Path.Combine(work.Path, "feed");
        try
        {
            AssertSucceeded(Dotnet(Fixtures.RepositoryRoot.Path, $"pack src/Runtime -c Release -o \"{feed}\" -p:PackageVersion={version}"), "pack");
            var consumer = Consumer(work.Path, feed, version, rank: 4);

            var run = Dotnet(consumer, "run");
            AssertSucceeded(run, "run");
            // GPT-2 with 1 block of width 16, vocabulary 32, context 8, tied head: 512 + 128 + 3,280 + 32 = 3,952.
            // LoRA rank 4 on c_attn [48 × 16]: A 4 × 16 + B 48 × 4 = 256.
            Assert.Contains("3952 256 256", run.Stdout);

            // The analyzers come with the package: a rank above the layer's smaller dimension fails the build.
            File.WriteAllText(Path.Combine(consumer, "Declarations.cs"), "using ModelDsl;\n" + Declarations.Replace("RANK", "100"));
            var build = Dotnet(consumer, "build");
            Assert.NotEqual(0, build.ExitCode);
            Assert.Contains("MDSL101", build.Stdout);
        }
        finally
        {
            // The consumer's restore extracted this version into the global packages folder; leave nothing behind.
            var extracted = Path.Combine(GlobalPackagesFolder(), "modeldsl", version);
            if (Directory.Exists(extracted)) Directory.Delete(extracted, recursive: true);
        }
    }

    static string Consumer(string root, string feed, string version, int rank)
    {
        var directory = Path.Combine(root, "consumer");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ModelDsl" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        // The local feed is added to the sources the machine already has (TorchSharp and the rest come from those).
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="modeldsl-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Declarations.cs"), "using ModelDsl;\n" + Declarations.Replace("RANK", rank.ToString()));
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using var setup = new TinyLora(new Tiny());
            Console.WriteLine($"{Tiny.ParameterCount} {TinyLora.TrainableParameterCount} {setup.CountTrainableParameters()}");
            """);
        return directory;
    }

    DotnetResult Dotnet(string workingDirectory, string arguments)
    {
        var result = DotnetCommand.Run(arguments, workingDirectory, TimeSpan.FromMinutes(5));
        output.WriteLine($"$ dotnet {arguments} → {result.ExitCode}");
        return result;
    }

    static void AssertSucceeded(DotnetResult result, string what) =>
        Assert.True(result.ExitCode == 0, $"dotnet {what} exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");

    static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
