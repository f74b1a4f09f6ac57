using System.IO;
using System.Linq;
using ModelDsl.CommandLine;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Peft;
using Xunit;

namespace ModelDsl.Tests.CommandLine;

/// <summary>The command line, run in-process on a tiny model and a soft-prompt setup over it.</summary>
public class CommandLineTests
{
    static readonly CommandTarget[] Targets =
    [
        new("Gpt2VocabModel", "tiny GPT-2", false, (baseDir, _) => baseDir is null ? new Gpt2VocabModel() : Gpt2VocabModel.FromPretrained(baseDir)),
        new("Gpt2TextPrompt", "soft prompt", true,
            (baseDir, tokenizer) => new Gpt2TextPrompt(Gpt2VocabModel.FromPretrained(CommandTarget.RequireBase(baseDir, "Gpt2TextPrompt")), tokenizer)),
    ];

    static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = ModelDslCommandLine.Run(args, Targets, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    static string WriteText(TempDirectory directory, string name, int lines)
    {
        var path = directory.File(name);
        File.WriteAllLines(path, Enumerable.Range(0, lines).Select(i => $"{{\"text\": \"The cat number {i} sat on the mat.\"}}"));
        return path;
    }

    [Fact]
    public void TrainsAModelThenASetupOverItThenEvaluatesAndGenerates()
    {
        using var directory = new TempDirectory();
        var train = WriteText(directory, "train.jsonl", 16);
        var eval = WriteText(directory, "eval.jsonl", 4);
        var modelOut = Path.Combine(directory.Path, "pretrain");
        var setupOut = Path.Combine(directory.Path, "prompt");

        var pretrain = Run("train", "--target", "Gpt2VocabModel", "--data", train, "--steps", "2", "--batch-size", "4", "--out", modelOut);
        Assert.True(pretrain.Exit == 0, pretrain.Error);
        Assert.True(File.Exists(Path.Combine(modelOut, "model", "config.json")));

        var tune = Run("train", "--target", "Gpt2TextPrompt", "--base", Path.Combine(modelOut, "model"), "--data", train, "--eval", eval,
            "--steps", "2", "--batch-size", "4", "--out", setupOut);
        Assert.True(tune.Exit == 0, tune.Error);
        Assert.True(File.Exists(Path.Combine(setupOut, "adapter", "adapter_config.json")));

        var evaluation = Run("eval", "--target", "Gpt2TextPrompt", "--base", Path.Combine(modelOut, "model"),
            "--adapter", Path.Combine(setupOut, "adapter"), "--data", eval);
        Assert.True(evaluation.Exit == 0, evaluation.Error);
        Assert.Contains("perplexity", evaluation.Output);

        string[] generate = ["generate", "--target", "Gpt2TextPrompt", "--base", Path.Combine(modelOut, "model"),
            "--adapter", Path.Combine(setupOut, "adapter"), "--prompt", "The cat", "--max-new-tokens", "3"];
        var generation = Run(generate);
        Assert.True(generation.Exit == 0, generation.Error);
        Assert.NotEmpty(generation.Output.Trim());
        Assert.Equal(generation.Output, Run(generate).Output);   // greedy: the same continuation every time
    }

    [Fact]
    public void ListsTheTargets()
    {
        var (exit, output, _) = Run("list");
        Assert.Equal(0, exit);
        Assert.Contains("Gpt2VocabModel", output);
        Assert.Contains("Gpt2TextPrompt", output);
    }

    [Fact]
    public void AnUnknownTargetNamesTheKnownOnes()
    {
        var (exit, _, error) = Run("generate", "--target", "Nope", "--prompt", "x");
        Assert.Equal(2, exit);
        Assert.Contains("No target named 'Nope'", error);
        Assert.Contains("Gpt2VocabModel, Gpt2TextPrompt", error);
    }

    [Fact]
    public void ASetupWithoutABaseSaysWhichOptionIsMissing()
    {
        var (exit, _, error) = Run("generate", "--target", "Gpt2TextPrompt", "--prompt", "x");
        Assert.Equal(2, exit);
        Assert.Contains("--base", error);
    }

    [Fact]
    public void AMissingRequiredOptionIsAUsageError()
    {
        var (exit, _, error) = Run("train", "--target", "Gpt2VocabModel");
        Assert.NotEqual(0, exit);
        Assert.Contains("--data", error);
    }
}
