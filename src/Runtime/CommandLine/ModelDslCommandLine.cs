using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;

namespace ModelDsl.CommandLine;

/// <summary>
/// The command-line front end: <c>list</c>, <c>train</c>, <c>eval</c> and <c>generate</c> over the targets of an
/// assembly. A project that sets the MSBuild property <c>ModelDslCommandLine</c> to <c>true</c> gets a generated
/// <c>Main</c> that calls <see cref="Run"/> with every model and setup it declares.
/// </summary>
public static class ModelDslCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code (0 success, 1 failure, 2 usage error).</summary>
    public static int Run(string[] args, IReadOnlyList<CommandTarget> targets, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var context = new CommandContext(targets, output);
        var root = new RootCommand("ModelDsl: train, evaluate and generate with the models and setups this program declares.")
        {
            ListCommand(targets, output),
            TrainCommand.Create(context),
            EvalCommand.Create(context),
            GenerateCommand.Create(context),
        };
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CommandLineException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            error.WriteLine($"{e.GetType().Name}: {e.Message}");
            return 1;
        }
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
