using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace ModelDsl.Tests.Examples;

/// <summary>What a finished <c>dotnet</c> child process left.</summary>
internal sealed record DotnetResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs <c>dotnet</c> as a child process and waits for it, killing it after a timeout.</summary>
internal static class DotnetCommand
{
    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c>; <paramref name="environment"/> adds or replaces variables of the child.</summary>
    public static DotnetResult Run(string arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        // The test host runs inside an MSBuild-started process; its MSBuild variables would steer a child's build.
        foreach (var key in new List<string>(start.Environment.Keys))
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)) start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {arguments} did not finish within {timeout.TotalMinutes:F0} minutes.");
        }
        return new DotnetResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
