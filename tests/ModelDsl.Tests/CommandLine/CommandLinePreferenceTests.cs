using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Peft;
using Xunit;
using static ModelDsl.Tests.CommandLine.CommandLineHarness;
using static TorchSharp.torch;

namespace ModelDsl.Tests.CommandLine;

/// <summary><c>train --objective dpo|reward</c>: preference rows in, an adapter or a sequence-classification reward model out.</summary>
public sealed class CommandLinePreferenceTests
{
    static string Pairs(string path, int count)
    {
        File.WriteAllLines(path, Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new
        {
            prompt = $"The cat number {i} sat on",
            chosen = " the mat.",
            rejected = " the dog.",
        })));
        return path;
    }

    static string SaveBase(TempDirectory dir)
    {
        manual_seed(11);
        using var model = new Gpt2VocabModel();
        var path = dir.File("base");
        model.SavePretrained(path);
        return path;
    }

    [Fact]
    public void Dpo_on_a_lora_setup_reports_preference_metrics_and_saves_the_adapter()
    {
        using var dir = new TempDirectory();
        var data = Pairs(dir.File("pairs.jsonl"), 8);
        var (exit, output, error) = Run("train", "--target", "Gpt2VocabLora", "--base", SaveBase(dir), "--objective", "dpo", "--beta", "0.2",
            "--data", data, "--eval", data, "--steps", "3", "--batch-size", "4", "--out", dir.File("out"));

        Assert.True(exit == 0, error);
        Assert.Contains("rewards/accuracies", output);
        Assert.True(File.Exists(Path.Combine(dir.File("out"), "adapter", "adapter_model.safetensors")));
        var last = JsonDocument.Parse(File.ReadAllLines(Path.Combine(dir.File("out"), "metrics.jsonl")).Last(l => l.Contains("\"train\""))).RootElement;
        Assert.Equal(3, last.GetProperty("step").GetInt32());
        Assert.True(last.TryGetProperty("rewards/margins", out _));
    }

    [Fact]
    public void Dpo_starts_from_the_targets_declared_options_and_the_flags_given_go_over_them()
    {
        using var dir = new TempDirectory();
        var data = Pairs(dir.File("pairs.jsonl"), 8);
        var baseDir = SaveBase(dir);
        // [Dpo(Loss = DpoLossType.Ipo)]: label smoothing is the sigmoid loss's, so adding it alone is refused …
        var (exit, _, error) = Run("train", "--target", "Gpt2VocabIpo", "--base", baseDir, "--objective", "dpo", "--label-smoothing", "0.1",
            "--data", data, "--steps", "1", "--batch-size", "4", "--out", dir.File("ipo"));
        Assert.Equal(2, exit);
        Assert.Contains("IPO", error);
        Assert.Contains("[Dpo]", error);
        // … and accepted once --loss sigmoid replaces the declared loss.
        (exit, _, error) = Run("train", "--target", "Gpt2VocabIpo", "--base", baseDir, "--objective", "dpo", "--label-smoothing", "0.1", "--loss", "sigmoid",
            "--data", data, "--steps", "1", "--batch-size", "4", "--out", dir.File("sigmoid"));
        Assert.True(exit == 0, error);
    }

    [Fact]
    public void Reward_training_saves_a_sequence_classification_checkpoint()
    {
        using var dir = new TempDirectory();
        var data = Pairs(dir.File("pairs.jsonl"), 8);
        var (exit, _, error) = Run("train", "--target", "Gpt2VocabLora", "--base", SaveBase(dir), "--objective", "reward",
            "--data", data, "--steps", "2", "--batch-size", "4", "--out", dir.File("out"));

        Assert.True(exit == 0, error);
        var saved = Path.Combine(dir.File("out"), "reward_model");
        using var content = SafetensorsFile.Read(Path.Combine(saved, "model.safetensors"));
        Assert.Contains("score.weight", content.Tensors.Keys);
        Assert.DoesNotContain(content.Tensors.Keys, k => k.Contains("lora") || k.StartsWith("lm_head"));
        Assert.Contains("GPT2ForSequenceClassification", File.ReadAllText(Path.Combine(saved, "config.json")));
    }

    [Fact]
    public void Bad_preference_options_and_rows_are_refused_by_name()
    {
        using var dir = new TempDirectory();
        var data = Pairs(dir.File("pairs.jsonl"), 2);
        var (exit, _, error) = Run("train", "--target", "Gpt2VocabModel", "--objective", "ppo", "--data", data, "--out", dir.File("out"));
        Assert.Equal(2, exit);
        Assert.Contains("ppo", error);
        (exit, _, error) = Run("train", "--target", "Gpt2VocabModel", "--objective", "dpo", "--beta", "0", "--data", data, "--out", dir.File("out"));
        Assert.Equal(2, exit);
        Assert.Contains("--beta", error);

        File.AppendAllLines(data, ["""{"prompt": "p", "chosen": "a"}"""]);
        (exit, _, error) = Run("train", "--target", "Gpt2VocabModel", "--objective", "dpo", "--data", data, "--out", dir.File("out"));
        Assert.Equal(1, exit);
        Assert.Contains($"{data}, row 3", error);
    }
}
