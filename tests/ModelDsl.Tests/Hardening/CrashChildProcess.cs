using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// One run of <c>tests/ModelDsl.CrashChild</c> as a child process, with its standard output as a queue of lines.
/// The test project references the child's project (without referencing its assembly), so building the tests
/// builds the child into <c>tests/ModelDsl.CrashChild/bin/&lt;configuration&gt;/&lt;framework&gt;/</c>.
/// </summary>
internal sealed class CrashChildProcess : IDisposable
{
    readonly Process _process;
    readonly BlockingCollection<string> _lines = new();
    readonly StringBuilder _errors = new();

    CrashChildProcess(string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost(), [ChildAssembly(), .. arguments])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is null) _lines.CompleteAdding(); else _lines.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_errors) _errors.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the child with <paramref name="arguments"/> (see its Program.cs for the modes).</summary>
    public static CrashChildProcess Start(params string[] arguments) => new(arguments);

    /// <summary>The next line of output, or null when the child closed its output (exited) or the timeout passed.</summary>
    public string? NextLine(TimeSpan timeout) => _lines.TryTake(out var line, timeout) ? line : null;

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public string Errors { get { lock (_errors) return _errors.ToString(); } }

    /// <summary>SIGKILL: no finally block, no flush, no cleanup runs in the child.</summary>
    public void Kill()
    {
        try { _process.Kill(); }
        catch (InvalidOperationException) { /* it exited on its own just before */ }
        _process.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"the crash child did not finish within {timeout.TotalSeconds} s; its errors: {Errors}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        _lines.Dispose();
    }

    static string ChildAssembly()
    {
        // <repo>/tests/ModelDsl.Tests/bin/<configuration>/<framework>/ → <repo>/tests/ModelDsl.CrashChild/bin/<configuration>/<framework>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "ModelDsl.CrashChild", "bin", configuration, framework, "ModelDsl.CrashChild.dll");
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The crash child is not built at '{path}'. Build tests/ModelDsl.Tests (it references tests/ModelDsl.CrashChild) with the same configuration.", path);
        return path;
    }

    static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
