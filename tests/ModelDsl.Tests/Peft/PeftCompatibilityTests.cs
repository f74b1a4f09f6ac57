using System.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Peft;
using ModelDsl.Tests.IO;
using ModelDsl.Tokenization;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

/// <summary>Every adapter_config.json this SDK writes for a PEFT method passes PEFT's own config checks.</summary>
public sealed class PeftCompatibilityTests
{
    static string SavedConfig(PeftSetup setup)
    {
        using var dir = new TempDirectory();
        setup.SaveAdapter(dir.Path);
        return File.ReadAllText(Path.Combine(dir.Path, PeftAdapterFiles.ConfigFileName));
    }

    static void AssertPeftLoads(string json) => Assert.True(PeftConfigRules.Violations(json) is { Count: 0 } none,
        $"PEFT would refuse this config: {string.Join("; ", PeftConfigRules.Violations(json))}\n{json}");

    [Fact]
    public void A_soft_prompt_saved_with_text_initialisation_writes_a_config_peft_accepts()
    {
        // The generated setup does not know where its tokenizer came from, as in the issue's report.
        using var setup = new Gpt2TextPrompt(new Gpt2VocabModel(), Tokenizers.Gpt2());
        var json = SavedConfig(setup);
        AssertPeftLoads(json);
        Assert.Contains("\"prompt_tuning_init_text\": \"Sentiment:\"", json);
    }

    [Fact]
    public void A_soft_prompt_whose_tokenizer_is_known_is_saved_as_text_initialised()
    {
        manual_seed(1);
        var config = new PromptTuningConfig(4, PromptTuningInit.Text, "hi") { InitTextTokenIds = [1, 2], TokenizerNameOrPath = "gpt2" };
        using var setup = new TinyPromptSetup(new TinyLm(), config);
        var json = SavedConfig(setup);
        AssertPeftLoads(json);
        Assert.Contains("\"prompt_tuning_init\": \"TEXT\"", json);
        Assert.Contains("\"tokenizer_name_or_path\": \"gpt2\"", json);
    }

    [Theory]
    [InlineData(PromptTuningInit.Random)]
    [InlineData(PromptTuningInit.SampleVocab)]
    public void Soft_prompts_of_the_other_inits_pass(PromptTuningInit init)
    {
        manual_seed(2);
        using var setup = new TinyPromptSetup(new TinyLm(), new PromptTuningConfig(4, init));
        AssertPeftLoads(SavedConfig(setup));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lora_adapters_pass(bool rsLora)
    {
        manual_seed(3);
        using var setup = new TinyLoraSetup(new TinyLm(), new LoraSettings(4, 16, 0.05, rsLora), includeConv1D: true);
        AssertPeftLoads(SavedConfig(setup));
    }

    [Fact]
    public void A_generated_lora_setup_passes()
    {
        using var setup = new TinyGpt2Lora(new ModelDsl.Tests.Families.GeneratedTinyGpt2());
        AssertPeftLoads(SavedConfig(setup));
    }

    [Fact]
    public void The_rules_catch_what_the_issue_reported()
    {
        // The combination the SDK wrote before: PEFT's PromptTuningConfig.__post_init__ raises on it.
        Assert.Contains("prompt_tuning_init TEXT needs tokenizer_name_or_path", PeftConfigRules.Violations(
            """{"peft_type": "PROMPT_TUNING", "task_type": "CAUSAL_LM", "num_virtual_tokens": 5, "prompt_tuning_init": "TEXT", "prompt_tuning_init_text": "x", "tokenizer_name_or_path": null}"""));
        Assert.Contains("LORA has no field \"selection\"", PeftConfigRules.Violations("""{"peft_type": "LORA", "r": 4, "selection": "bitfit"}"""));
    }
}
