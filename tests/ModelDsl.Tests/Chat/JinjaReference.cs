using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using ModelDsl.Tests.Fixtures;

namespace ModelDsl.Tests.Chat;

/// <summary>
/// The reference the chat-template tests compare with: Python's jinja2 in transformers' environment
/// (<c>reference_render.py</c> beside this file). Finds a Python that has jinja2; when none has it and the tests run as
/// root, installs Debian's <c>python3-jinja2</c> once; otherwise fails saying what to install. All cases of a test class
/// go in one call (JSON in, JSON out).
/// </summary>
internal static class JinjaReference
{
    /// <summary>The fixed time both sides' <c>strftime_now</c> read, so dates in templates agree.</summary>
    public static readonly DateTime Now = new(2024, 7, 26, 14, 5, 9);

    static readonly Lazy<string> Python = new(FindOrInstallPython, LazyThreadSafetyMode.ExecutionAndPublication);

    static string Script => Path.Combine(RepositoryRoot.Path, "tests", "ModelDsl.Tests", "Chat", "reference_render.py");

    /// <summary>Renders every case with jinja2; one result object per case, in order.</summary>
    public static IReadOnlyList<JsonObject> Render(IEnumerable<JsonObject> cases)
    {
        var request = new JsonObject
        {
            ["now"] = Now.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            ["cases"] = new JsonArray([.. cases]),
        };
        var (exit, stdout, stderr) = Run(Python.Value, $"\"{Script}\"", request.ToJsonString());
        if (exit != 0) throw new InvalidOperationException($"The jinja2 reference renderer failed (exit {exit}): {stderr}");
        var response = JsonNode.Parse(stdout)!.AsObject();
        var results = new List<JsonObject>();
        foreach (var result in response["results"]!.AsArray()) results.Add(result!.AsObject());
        return results;
    }

    static string FindOrInstallPython()
    {
        // Debian's python3-jinja2 (3.1.2) is the reference the tests were written against; any Python with jinja2 3.1 works.
        string[] candidates = ["/usr/bin/python3", "python3"];
        foreach (var candidate in candidates)
            if (HasJinja(candidate)) return candidate;
        if (Environment.UserName == "root")
        {
            var (exit, _, stderr) = Run("apt-get", "install -y -q python3-jinja2", null);
            if (exit != 0) (exit, _, stderr) = Run("sh", "-c \"apt-get update -q && apt-get install -y -q python3-jinja2\"", null);
            if (exit == 0 && HasJinja("/usr/bin/python3")) return "/usr/bin/python3";
            throw new InvalidOperationException($"Installing python3-jinja2 for the chat-template reference tests failed: {stderr}");
        }
        throw new InvalidOperationException(
            "The chat-template tests compare with Python's jinja2, which was not found. Install it: apt-get install python3-jinja2 (or pip install jinja2).");
    }

    static bool HasJinja(string python)
    {
        try { return Run(python, "-c \"import jinja2\"", null).Exit == 0; }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    static (int Exit, string Stdout, string Stderr) Run(string file, string arguments, string? stdin)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = stdin is null ? null : new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish within 10 minutes.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
