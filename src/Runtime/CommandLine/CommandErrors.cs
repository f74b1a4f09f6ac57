using System;
using System.Linq;
using System.Reflection;
using ModelDsl.Data;
using ModelDsl.Generation;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;

namespace ModelDsl.CommandLine;

/// <summary>
/// Turns whatever a command throws into an exit code and one paragraph for standard error — the SDK's own errors
/// and the file system's, each named by what went wrong — and never a stack trace.
/// </summary>
internal static class CommandErrors
{
    /// <summary>A command failed (bad files, data that does not fit, a diverged run, no permission, …).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown option or target, a missing or impossible value.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted (Ctrl+C), as a shell reports a process stopped by SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code and the message for <paramref name="error"/>.</summary>
    public static (int ExitCode, string Message) Describe(Exception error)
    {
        while (error is TargetInvocationException or TypeInitializationException or AggregateException { InnerExceptions.Count: 1 }
               && error.InnerException is not null)
            error = error.InnerException;
        return error switch
        {
            CommandLineException => (Usage, "error: " + OneParagraph(error.Message)),
            OperationCanceledException => (Cancelled, "cancelled."),
            _ => (Failure, "error: " + Kind(error) + OneParagraph(error.Message)),
        };
    }

    // What kind of problem it is, where the message alone would not say.
    static string Kind(Exception error) => error switch
    {
        ModelConfigException => "model configuration: ",
        SafetensorsFormatException => "weights file: ",
        CheckpointMismatchException => "weights do not fit the model: ",
        CheckpointException => "checkpoint: ",
        AdapterFormatException => "adapter: ",
        DataFormatException => "data: ",
        TrainingDivergedException => "training diverged: ",
        PromptTooLongException => "prompt: ",
        ConcurrentUseException => "in use: ",
        UnauthorizedAccessException => "permission denied: ",
        System.IO.FileNotFoundException or System.IO.DirectoryNotFoundException => "not found: ",
        System.IO.IOException => "input/output: ",
        NotSupportedException or ArgumentException or InvalidOperationException or FormatException => "",
        OutOfMemoryException => "out of memory: ",
        System.Runtime.InteropServices.ExternalException => "the tensor library refused an operation: ",
        _ => $"unexpected {error.GetType().Name} (please report it with the command line that caused it): ",
    };

    /// <summary>
    /// The message as one paragraph: lines joined, and a native library's appended stack (<c>Exception raised from …</c>,
    /// <c>frame #0: …</c>) or a managed one (<c>   at …</c>) left out.
    /// </summary>
    public static string OneParagraph(string message)
    {
        var lines = message.Split('\n')
            .Select(line => line.Trim())
            .TakeWhile(line => !line.StartsWith("Exception raised from", StringComparison.Ordinal)
                               && !line.StartsWith("frame #", StringComparison.Ordinal)
                               && !line.StartsWith("at ", StringComparison.Ordinal))
            .Where(line => line.Length > 0);
        var text = string.Join(" ", lines);
        return text.Length > 0 ? text : "(no message)";
    }
}
