using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Memory benchmarks measure each configuration in a fresh process (the resident high-water mark is per process): this
/// program runs itself again with a child command, and the child prints one <c>result JSON</c> line.
/// </summary>
internal static class BenchmarkChild
{
    const string ResultPrefix = "result ";

    /// <summary>Runs this program with <paramref name="arguments"/> (and extra environment variables) and reads its result line.</summary>
    public static T Run<T>(IEnumerable<object> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(BenchmarkChild).Assembly.Location);
        foreach (var argument in arguments) info.ArgumentList.Add(Convert.ToString(argument, CultureInfo.InvariantCulture)!);
        using var child = Process.Start(info)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"'{string.Join(" ", info.ArgumentList)}' exited with {child.ExitCode} and printed no result:\n{output}");
        return JsonSerializer.Deserialize<T>(line[ResultPrefix.Length..])!;
    }

    /// <summary>In the child: prints the result line the parent reads.</summary>
    public static void Report<T>(T result) => Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
}
