using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Runs a script of <c>peer/</c> with Debian's interpreter and python3-torch (<c>/usr/bin/python3</c>, or
/// <c>$MODELDSL_PEER_PYTHON</c>) on a given number of threads, and parses the JSON object on its last line.
/// </summary>
internal static class PeerScript
{
    static string Interpreter =>
        Environment.GetEnvironmentVariable("MODELDSL_PEER_PYTHON") is { Length: > 0 } python ? python
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Runs <paramref name="scriptName"/> with <c>--threads</c> and <paramref name="arguments"/>; the caller disposes the result.</summary>
    public static JsonDocument Run(string repoRoot, string scriptName, int threads, IEnumerable<(string Name, int Value)> arguments)
    {
        var script = Path.Combine(repoRoot, "tests", "ModelDsl.Benchmarks", "peer", scriptName);
        var info = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var (name, value) in arguments.Prepend(("threads", threads)))
        {
            info.ArgumentList.Add("--" + name);
            info.ArgumentList.Add(value.ToString(CultureInfo.InvariantCulture));
        }
        // Same thread count on both sides, whichever pool the peer's BLAS uses.
        info.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        info.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The Python peer exited with {process.ExitCode}; run {Interpreter} {string.Join(" ", info.ArgumentList)} by hand to see why.");
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]);
    }
}
