using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Peft;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Peft;
using Xunit;
using static ModelDsl.Tests.CommandLine.CommandLineHarness;
using static TorchSharp.torch;

namespace ModelDsl.Tests.CommandLine;

/// <summary>
/// The command line's options and behaviour: usage errors exit 2, SDK errors exit 1 with one paragraph, training resumes
/// and survives Ctrl+C, generation stops at the end of sequence and at --stop, a tokenizer that does not fit is refused,
/// an adapter of another rank loads, and evaluation needs no optimizer.
/// </summary>
public sealed class CommandLineBehaviourTests
{
    static string SaveBase(TempDirectory dir, Action<Gpt2VocabModel>? change = null)
    {
        manual_seed(11);
        using var model = new Gpt2VocabModel();
        change?.Invoke(model);
        var path = dir.File("base");
        model.SavePretrained(path);
        return path;
    }

    [Theory]
    [InlineData("--steps", "-3")]
    [InlineData("--steps", "abc")]
    [InlineData("--batch-size", "0")]
    [InlineData("--lr", "-1")]
    [InlineData("--lr", "NaN")]
    [InlineData("--max-length", "1")]
    [InlineData("--eos", "banana")]
    [InlineData("--bogus", "1")]
    public void A_bad_training_option_is_a_usage_error(string option, string value)
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir.File("train.jsonl"), 4);
        var (exit, _, error) = Run("train", "--target", "Gpt2VocabModel", "--data", data, "--out", dir.File("out"), option, value);
        Assert.Equal(2, exit);
        Assert.Contains(option == "--bogus" ? "bogus" : option.TrimStart('-'), error);
        Assert.True(IsOneParagraphWithoutStackTrace(error), error);
    }

    [Theory]
    [InlineData("--max-new-tokens", "0")]
    [InlineData("--temperature", "-0.5")]
    [InlineData("--stop", "")]
    public void A_bad_generation_option_is_a_usage_error(string option, string value)
    {
        var (exit, _, error) = Run("generate", "--target", "Gpt2VocabModel", "--prompt", "x", option, value);
        Assert.Equal(2, exit);
        Assert.True(IsOneParagraphWithoutStackTrace(error), error);
    }

    [Fact]
    public void Errors_from_damaged_files_are_one_paragraph_and_exit_1()
    {
        using var dir = new TempDirectory();
        var baseDir = SaveBase(dir);
        var weights = Path.Combine(baseDir, "model.safetensors");
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..100]);

        var (exit, _, error) = Run("generate", "--target", "Gpt2VocabModel", "--base", baseDir, "--prompt", "x");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: weights file: ", error);
        Assert.True(IsOneParagraphWithoutStackTrace(error), error);
    }

    [Fact]
    public void Generation_stops_at_the_tokenizers_end_of_sequence()
    {
        using var dir = new TempDirectory();
        // A model that always predicts GPT-2's <|endoftext|> (50256): a constant final hidden state aligned with its row.
        var baseDir = SaveBase(dir, model =>
        {
            using var _ = no_grad();
            model.transformer.ln_f.weight.zero_();
            model.transformer.ln_f.bias.zero_();
            model.transformer.ln_f.bias[0] = 1;
            model.transformer.wte.weight[TensorIndex.Colon, 0] = 0;
            model.transformer.wte.weight[50256, 0] = 100;
        });
        string[] generate = ["generate", "--target", "Gpt2VocabModel", "--base", baseDir, "--prompt", "The cat", "--max-new-tokens", "5"];

        var stopped = Run(generate);
        var unstopped = Run([.. generate, "--eos", "none"]);

        Assert.True(stopped.Exit == 0, stopped.Error);
        Assert.Equal("", stopped.Output.Trim());
        Assert.True(unstopped.Exit == 0, unstopped.Error);
        Assert.Equal(string.Concat(Enumerable.Repeat("<|endoftext|>", 5)), unstopped.Output.Trim());
    }

    [Fact]
    public void Generation_follows_the_checkpoints_generation_config()
    {
        using var dir = new TempDirectory();
        // A model that always predicts "." (GPT-2 id 13), which is not GPT-2's end-of-sequence token.
        var baseDir = SaveBase(dir, model =>
        {
            using var _ = no_grad();
            model.transformer.ln_f.weight.zero_();
            model.transformer.ln_f.bias.zero_();
            model.transformer.ln_f.bias[0] = 1;
            model.transformer.wte.weight[TensorIndex.Colon, 0] = 0;
            model.transformer.wte.weight[13, 0] = 100;
        });
        string[] generate = ["generate", "--target", "Gpt2VocabModel", "--base", baseDir, "--prompt", "The cat"];

        var plain = Run(generate);
        System.IO.File.WriteAllText(System.IO.Path.Combine(baseDir, "generation_config.json"), """{"eos_token_id": [50256, 13], "max_new_tokens": 3}""");
        var stopped = Run(generate);
        var overridden = Run([.. generate, "--eos", "none"]);
        System.IO.File.WriteAllText(System.IO.Path.Combine(baseDir, "generation_config.json"), """{"repetition_penalty": 1.2}""");
        var refused = Run(generate);

        Assert.True(plain.Exit == 0, plain.Error);
        Assert.Matches("^\\.{4,}$", plain.Output.Trim());       // more than the config's 3 below: the command line's default
        Assert.True(stopped.Exit == 0, stopped.Error);
        Assert.Equal("", stopped.Output.Trim());                 // 13 is one of the config's EOS ids
        Assert.Equal("...", overridden.Output.Trim());           // the config's max_new_tokens, without its EOS ids
        Assert.Equal(1, refused.Exit);
        Assert.Contains("model configuration", refused.Error);
        Assert.Contains("\"repetition_penalty\" is 1.2", refused.Error);
    }

    [Fact]
    public void Generation_stops_before_a_stop_text()
    {
        using var dir = new TempDirectory();
        var baseDir = SaveBase(dir);
        string[] generate = ["generate", "--target", "Gpt2VocabModel", "--base", baseDir, "--prompt", "The cat", "--max-new-tokens", "12", "--eos", "none"];
        var full = Run(generate).Output.TrimEnd('\n', '\r');
        Assert.True(full.Length >= 4, $"the continuation '{full}' is too short to cut");
        var stop = full.Substring(2, 2);

        var (exit, output, error) = Run([.. generate, "--stop", stop]);

        Assert.True(exit == 0, error);
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], output.TrimEnd('\n', '\r'));
    }

    [Fact]
    public void A_tokenizer_whose_vocabulary_does_not_fit_the_model_is_refused()
    {
        var (exit, _, error) = Run("generate", "--target", "SmallVocabGpt", "--prompt", "The cat");
        Assert.Equal(2, exit);
        Assert.Contains("50,257 tokens", error);
        Assert.Contains("vocabulary of 300", error);
        Assert.Contains("--tokenizer", error);
    }

    [Fact]
    public void An_adapter_whose_rank_differs_from_the_declared_one_loads()
    {
        using var dir = new TempDirectory();
        var baseDir = SaveBase(dir);
        using (var setup = new Gpt2VocabLora(Gpt2VocabModel.FromPretrained(baseDir)))
        {
            setup.AddAdapter("r2", new LoraSettings(2, 4));
            setup.SaveAdapter(dir.File("adapter"), "r2");
        }
        var data = WriteText(dir.File("eval.jsonl"), 3);

        var (exit, output, error) = Run("eval", "--target", "Gpt2VocabLora", "--base", baseDir, "--adapter", dir.File("adapter"), "--data", data);

        Assert.True(exit == 0, error);
        Assert.Contains("perplexity", output);
        Assert.DoesNotContain("untrained", error);
    }

    [Fact]
    public void Evaluating_a_setup_without_an_adapter_says_the_adapter_is_untrained()
    {
        using var dir = new TempDirectory();
        var baseDir = SaveBase(dir);
        var data = WriteText(dir.File("eval.jsonl"), 3);
        var (exit, _, error) = Run("eval", "--target", "Gpt2VocabLora", "--base", baseDir, "--data", data);
        Assert.True(exit == 0, error);
        Assert.Contains("untrained adapter", error);
    }

    [Fact]
    public void Evaluation_needs_no_optimizer_so_a_frozen_model_evaluates()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir.File("eval.jsonl"), 3);
        var (exit, output, error) = Run("eval", "--target", "FrozenGpt", "--data", data);
        Assert.True(exit == 0, error);
        Assert.Contains("perplexity", output);
    }

    [Fact]
    public void Examples_longer_than_the_context_are_truncated_by_default_and_counted()
    {
        using var dir = new TempDirectory();
        // The model's context is 32 tokens; these lines are about 60.
        var data = WriteText(dir.File("long.jsonl"), 4, string.Concat(Enumerable.Repeat("The cat number {0} sat on the mat. ", 6)));
        var (exit, output, error) = Run("train", "--target", "Gpt2VocabModel", "--data", data, "--steps", "1", "--batch-size", "2", "--out", dir.File("out"));
        Assert.True(exit == 0, error);
        Assert.Contains("4 of 4 training examples were longer than MaxLength and were truncated", output);
    }

    [Fact]
    public void Pack_joins_the_examples_into_sequences_of_max_length()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir.File("eval.jsonl"), 8);
        const int maxLength = 32;

        var separate = ScoredTokens(Run("eval", "--target", "FrozenGpt", "--data", data, "--max-length", "32"));
        var packed = ScoredTokens(Run("eval", "--target", "FrozenGpt", "--data", data, "--max-length", "32", "--pack"));

        // Each sequence scores all its tokens but the first. Separate: the 8 examples; packed: ceil(total / 32) cuts.
        var total = separate + 8;
        Assert.Equal(total - (total + maxLength - 1) / maxLength, packed);
    }

    static int ScoredTokens((int Exit, string Output, string Error) run)
    {
        Assert.True(run.Exit == 0, run.Error);
        var match = System.Text.RegularExpressions.Regex.Match(run.Output, @"\((\d+) tokens\)");
        Assert.True(match.Success, run.Output);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Cancelling_saves_a_checkpoint_and_resume_ends_where_an_uninterrupted_run_ends()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir.File("train.jsonl"), 16);
        string[] Train(string outDir, params string[] extra) =>
            ["train", "--target", "Gpt2VocabModel", "--data", data, "--steps", "60", "--batch-size", "2", "--lr", "1e-2", "--out", outDir, .. extra];

        var straight = Run(Train(dir.File("straight")));
        Assert.True(straight.Exit == 0, straight.Error);

        // Ctrl+C's path: the token the command line cancels on SIGINT, cancelled once the run has logged a few steps.
        using var cancel = new CancellationTokenSource();
        var metrics = Path.Combine(dir.File("interrupted"), "metrics.jsonl");
        var watcher = Task.Run(async () =>
        {
            while (!cancel.IsCancellationRequested)
            {
                if (File.Exists(metrics) && CountLines(metrics) >= 3) { cancel.Cancel(); return; }
                await Task.Delay(2);
            }
        });
        var interrupted = Run(cancel.Token, Train(dir.File("interrupted")));
        await watcher;
        Assert.Equal(130, interrupted.Exit);
        Assert.Contains("checkpoint", interrupted.Error);
        Assert.Contains("--resume", interrupted.Error);

        var again = Run(Train(dir.File("interrupted")));
        Assert.Equal(1, again.Exit);
        Assert.Contains("another run", again.Error);

        var resumed = Run(Train(dir.File("interrupted"), "--resume"));
        Assert.True(resumed.Exit == 0, resumed.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("straight"), "model", "model.safetensors")),
                     File.ReadAllBytes(Path.Combine(dir.File("interrupted"), "model", "model.safetensors")));
    }

    [Fact]
    public void Resume_without_a_checkpoint_and_resume_with_overwrite_are_usage_errors()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir.File("train.jsonl"), 4);
        string[] train = ["train", "--target", "Gpt2VocabModel", "--data", data, "--steps", "1", "--out", dir.File("out")];
        var (exit, _, error) = Run([.. train, "--resume"]);
        Assert.Equal(2, exit);
        Assert.Contains("no complete checkpoint", error);
        (exit, _, error) = Run([.. train, "--resume", "--overwrite"]);
        Assert.Equal(2, exit);
    }

    static int CountLines(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Count(c => c == '\n');
        }
        catch (IOException) { return 0; }
    }
}
