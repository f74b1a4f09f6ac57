using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Tests.Examples;
using ModelDsl.Tests.Fixtures;
using Xunit;

namespace ModelDsl.Tests.Packaging;

/// <summary>
/// The one <c>ModelDsl</c> package, packed once from <c>src/Runtime</c> into a local feed for the tests of this collection,
/// under a version of its own; the version its consumers restored is removed from the global packages folder afterwards.
/// </summary>
public sealed class LocalPackageFeed : IDisposable
{
    readonly IO.TempDirectory _work = new();

    public LocalPackageFeed()
    {
        Version = $"0.0.0-test.{Guid.NewGuid():N}";
        Feed = Path.Combine(_work.Path, "feed");
        var pack = DotnetCommand.Run($"pack src/Runtime -c Release -o \"{Feed}\" -p:PackageVersion={Version}", RepositoryRoot.Path, TimeSpan.FromMinutes(5));
        Assert.True(pack.ExitCode == 0, $"dotnet pack exited with {pack.ExitCode}:\n{pack.Stdout}\n{pack.Stderr}");
    }

    /// <summary>The package's version.</summary>
    public string Version { get; }

    /// <summary>The folder holding the <c>.nupkg</c>.</summary>
    public string Feed { get; }

    /// <summary>The CPU LibTorch backend's version, as the repository pins it: a consumer chooses its backend itself.</summary>
    public static string LibTorchVersion { get; } = System.Text.RegularExpressions.Regex.Match(
        File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props")),
        "<PackageVersion Include=\"libtorch-cpu-linux-x64\" Version=\"([^\"]+)\"").Groups[1].Value;

    /// <summary>A new folder for a consumer project.</summary>
    public string NewFolder(string name)
    {
        var folder = Path.Combine(_work.Path, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Writes a consumer project into <paramref name="folder"/> that references the package from the local feed (the
    /// feed is added to the sources the machine already has: TorchSharp and the rest come from those) and, as an
    /// application must, the LibTorch backend it runs on; <paramref name="properties"/> are added to its properties.
    /// </summary>
    public void WriteConsumer(string folder, string outputType = "Exe", string? additionalFiles = null,
        IReadOnlyDictionary<string, string>? properties = null)
    {
        var additional = additionalFiles is null ? "" : $"""<AdditionalFiles Include="{additionalFiles}" />""";
        var extra = string.Concat((properties ?? new Dictionary<string, string>()).Select(p => $"<{p.Key}>{p.Value}</{p.Key}>"));
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{outputType}</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                {extra}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ModelDsl" Version="{Version}" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="{LibTorchVersion}" />
                {additional}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="modeldsl-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    public void Dispose()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var extracted = Path.Combine(packages, "modeldsl", Version);
        if (Directory.Exists(extracted)) Directory.Delete(extracted, recursive: true);
        _work.Dispose();
    }
}

/// <summary>The tests that share one packed package.</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<LocalPackageFeed>
{
    public const string Name = "Packaging";
}
