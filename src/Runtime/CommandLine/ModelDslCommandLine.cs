using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace ModelDsl.CommandLine;

/// <summary>
/// The command-line front end: <c>list</c>, <c>train</c>, <c>eval</c> and <c>generate</c> over the targets of an
/// assembly. A project that sets the MSBuild property <c>ModelDslCommandLine</c> to <c>true</c> gets a generated
/// <c>Main</c> that calls <see cref="Run"/> with every model and setup it declares.
/// </summary>
public static class ModelDslCommandLine
{
    /// <summary>
    /// Parses <paramref name="args"/> and runs the command; returns the exit code: 0 success, 1 failure, 2 usage error,
    /// 130 cancelled (Ctrl+C, or <paramref name="cancellationToken"/>). Every error is reported as one paragraph on
    /// <paramref name="error"/>, never as a stack trace. The first Ctrl+C asks a running command to stop (training saves
    /// a checkpoint); a second one ends the process.
    /// </summary>
    public static int Run(string[] args, IReadOnlyList<CommandTarget> targets, TextWriter? output = null, TextWriter? error = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(targets);
        output ??= Console.Out;
        error ??= Console.Error;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = ListenForCtrlC(cancellation, error);
        var context = new CommandContext(targets, output, error);
        var root = new RootCommand("ModelDsl: train, evaluate and generate with the models and setups this program declares.")
        {
            ListCommand(targets, output),
            TrainCommand.Create(context, cancellation.Token),
            EvalCommand.Create(context),
            GenerateCommand.Create(context, cancellation.Token),
        };
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var problem in parsed.Errors) error.WriteLine("error: " + CommandErrors.OneParagraph(problem.Message));
                error.WriteLine("Run with --help for the commands and their options.");
                return CommandErrors.Usage;
            }
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e)
        {
            var (exitCode, message) = CommandErrors.Describe(e);
            error.WriteLine(message);
            return exitCode;
        }
    }

    // SIGINT (Ctrl+C): the first asks the command to stop cleanly; the second is left to end the process.
    static PosixSignalRegistration? ListenForCtrlC(CancellationTokenSource cancellation, TextWriter error)
    {
        try
        {
            return PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
            {
                if (cancellation.IsCancellationRequested) return;
                signal.Cancel = true;
                error.WriteLine("stopping after the current step (press Ctrl+C again to end at once)…");
                cancellation.Cancel();
            });
        }
        catch (PlatformNotSupportedException) { return null; }
    }

    static Command ListCommand(IReadOnlyList<CommandTarget> targets, TextWriter output)
    {
        var command = new Command("list", "List the models and setups this program declares.");
        command.SetAction(_ =>
        {
            foreach (var target in targets)
                output.WriteLine($"{target.Name,-24} {(target.IsSetup ? "setup" : "model"),-6} {target.Description}");
            return 0;
        });
        return command;
    }
}
