using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Tests.IO;
using Xunit;
using static ModelDsl.Tests.CommandLine.CommandLineHarness;

namespace ModelDsl.Tests.CommandLine;

/// <summary><c>train --precision fp32|bf16|fp16</c> and <c>--gradient-checkpointing</c> reach the trainer.</summary>
public sealed class CommandLineMemoryOptionTests
{
    static double LastTrainLoss(string outDir) =>
        JsonDocument.Parse(File.ReadAllLines(Path.Combine(outDir, "metrics.jsonl")).Last(l => l.Contains("\"train\"")))
            .RootElement.GetProperty("loss").GetDouble();

    static string Precision(string outDir)
    {
        var state = Directory.GetFiles(Path.Combine(outDir, "checkpoints"), "trainer_state.json", SearchOption.AllDirectories).Single();
        return JsonDocument.Parse(File.ReadAllText(state)).RootElement.EnumerateObject()
            .Single(p => p.Name.Equals("precision", System.StringComparison.OrdinalIgnoreCase)).Value.GetString()!;
    }

    [Theory]
    [InlineData("bf16", "bfloat16")]
    [InlineData("fp16", "float16")]
    [InlineData("fp32", "float32")]
    public void Precision_is_the_format_the_run_trains_and_checkpoints_in(string option, string recorded)
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir.File("train.jsonl"), 4);
        var outDir = dir.File("out");
        var (exit, _, error) = Run("train", "--target", "Gpt2VocabModel", "--data", data, "--steps", "1", "--batch-size", "2",
            "--precision", option, "--out", outDir);
        Assert.True(exit == 0, error);
        Assert.Equal(recorded, Precision(outDir));
    }

    [Fact]
    public void Gradient_checkpointing_trains_to_the_same_loss()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir.File("train.jsonl"), 4);
        string[] train = ["train", "--target", "Gpt2VocabModel", "--data", data, "--steps", "3", "--batch-size", "2", "--lr", "1e-2"];
        var (exit, _, error) = Run([.. train, "--out", dir.File("plain")]);
        Assert.True(exit == 0, error);
        (exit, _, error) = Run([.. train, "--gradient-checkpointing", "--out", dir.File("checkpointed")]);
        Assert.True(exit == 0, error);
        Assert.Equal(LastTrainLoss(dir.File("plain")), LastTrainLoss(dir.File("checkpointed")), 6);
    }

    [Theory]
    [InlineData("bf32")]
    [InlineData("float16")]
    [InlineData("")]
    public void An_unknown_precision_is_a_usage_error_naming_the_value_and_the_choices(string value)
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir.File("train.jsonl"), 4);
        var (exit, _, error) = Run("train", "--target", "Gpt2VocabModel", "--data", data, "--out", dir.File("out"), "--precision", value);
        Assert.Equal(2, exit);
        Assert.Contains($"'{value}'", error);
        foreach (var choice in new[] { "fp32", "bf16", "fp16" }) Assert.Contains(choice, error);
        Assert.True(IsOneParagraphWithoutStackTrace(error), error);
    }
}
