using System;
using System.IO;
using System.Reflection;
using ModelDsl.CommandLine;
using ModelDsl.Data;
using ModelDsl.Generation;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Training;
using ModelDsl.Training.Checkpoints;
using Xunit;

namespace ModelDsl.Tests.CommandLine;

/// <summary>
/// Every kind of error the SDK or the file system raises reaches the user as its own labelled paragraph with exit code 1
/// (usage errors 2, cancellation 130) — none falls through to the "unexpected … please report it" catch-all.
/// </summary>
public sealed class CommandErrorsTests
{
    public static TheoryData<string, int, string> Errors() => new()
    {
        { "usage", 2, "error: " },
        { "config", 1, "error: model configuration: " },
        { "safetensors", 1, "error: weights file: " },
        { "mismatch", 1, "error: weights do not fit the model: " },
        { "checkpoint", 1, "error: checkpoint: " },
        { "adapter", 1, "error: adapter: " },
        { "data", 1, "error: data: " },
        { "divergence", 1, "error: training diverged: " },
        { "prompt", 1, "error: prompt: " },
        { "concurrency", 1, "error: in use: " },
        { "permission", 1, "error: permission denied: " },
        { "missing file", 1, "error: not found: " },
        { "missing folder", 1, "error: not found: " },
        { "disk", 1, "error: input/output: " },
        { "cancelled", 130, "cancelled." },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Each_kind_of_error_has_its_exit_code_and_label(string kind, int exitCode, string start)
    {
        var error = Raise(kind);

        var (exit, message) = CommandErrors.Describe(error);

        Assert.Equal(exitCode, exit);
        Assert.StartsWith(start, message);
        Assert.DoesNotContain("please report it", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void An_error_wrapped_by_reflection_is_described_by_what_it_wraps()
    {
        var wrapped = new TargetInvocationException(new AggregateException(new TrainingDivergedException(7, "loss", double.NaN, null)));
        Assert.StartsWith("error: training diverged: ", CommandErrors.Describe(wrapped).Message);
    }

    [Fact]
    public void Only_an_error_of_no_known_kind_asks_to_be_reported()
    {
        var (exit, message) = CommandErrors.Describe(new KeyNotFoundInTestException("the key"));
        Assert.Equal(1, exit);
        Assert.Contains("unexpected KeyNotFoundInTestException (please report it", message);
    }

    sealed class KeyNotFoundInTestException(string message) : Exception(message);

    static Exception Raise(string kind) => kind switch
    {
        "usage" => new CommandLineException("--steps must be positive."),
        "config" => new ModelConfigException("'config.json': n_layer is 0."),
        "safetensors" => new SafetensorsFormatException("model.safetensors", "the header is cut short"),
        "mismatch" => new CheckpointMismatchException("missing keys: lm_head.weight"),
        "checkpoint" => new CheckpointException("trainer_state.json is not JSON."),
        "adapter" => new AdapterFormatException("adapter", "no adapter_config.json"),
        "data" => new DataFormatException("train.jsonl", 3, "no \"text\" field"),
        "divergence" => new TrainingDivergedException(12, "loss", double.PositiveInfinity, "out/step-00000010"),
        "prompt" => new PromptTooLongException(90, 10, 64),
        "concurrency" => new ConcurrentUseException("the model is busy with another call."),
        "permission" => new UnauthorizedAccessException("Access to the path '/out' is denied."),
        "missing file" => new FileNotFoundException("Could not find file 'train.jsonl'."),
        "missing folder" => new DirectoryNotFoundException("Could not find a part of the path '/nowhere'."),
        "disk" => new IOException("No space left on device\n   at System.IO.RandomAccess.WriteAtOffset()"),
        "cancelled" => new OperationCanceledException(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
