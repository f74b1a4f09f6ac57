using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Peft;
using ModelDsl.Tests.IO;
using TorchSharp;
using Xunit;
using static ModelDsl.Tests.Peft.PeftTestHelpers;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

public class AdapterFileTests
{
    static TinyLm Base(int seed)
    {
        manual_seed(seed);
        return new TinyLm();
    }

    static TinyLoraSetup TrainedLora(int seed, LoraSettings settings)
    {
        var setup = new TinyLoraSetup(Base(seed), settings, includeConv1D: true);
        manual_seed(seed + 1000);
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        return setup;
    }

    [Fact]
    public void LoraRoundTripIsBitExact()
    {
        using var dir = new TempDirectory();
        using var saved = TrainedLora(41, new LoraSettings(4, 16, dropout: 0.05, useRsLora: true));
        saved.SaveAdapter(dir.Path);
        using var loaded = new TinyLoraSetup(Base(41), new LoraSettings(4, 16, dropout: 0.05, useRsLora: true), includeConv1D: true);
        loaded.LoadAdapter(dir.Path);
        var expected = saved.AdapterParameters("default");
        var actual = loaded.AdapterParameters("default");
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) AssertBitIdentical(expected[i].detach(), actual[i].detach());
        using var ids = Ids();
        saved.eval();
        loaded.eval();
        AssertBitIdentical(saved.Forward(ids), loaded.Forward(ids));
    }

    [Fact]
    public void SavedFilesHavePeftsKeysFieldsAndMetadata()
    {
        using var dir = new TempDirectory();
        using var setup = TrainedLora(42, new LoraSettings(4, 16, dropout: 0.05));
        setup.SaveAdapter(dir.Path);
        using (var content = SafetensorsFile.Read(Path.Combine(dir.Path, "adapter_model.safetensors")))
        {
            Assert.Equal("pt", content.Metadata["format"]);
            Assert.Equal(
                ["base_model.model.c_head.lora_A.weight", "base_model.model.c_head.lora_B.weight",
                 "base_model.model.h.0.attn.c_attn.lora_A.weight", "base_model.model.h.0.attn.c_attn.lora_B.weight",
                 "base_model.model.h.1.attn.c_attn.lora_A.weight", "base_model.model.h.1.attn.c_attn.lora_B.weight"],
                content.Tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray());
            Assert.Equal([4L, 32L], content.Tensors["base_model.model.h.0.attn.c_attn.lora_A.weight"].shape);
            Assert.Equal([96L, 4L], content.Tensors["base_model.model.h.0.attn.c_attn.lora_B.weight"].shape);
        }
        var text = File.ReadAllText(Path.Combine(dir.Path, "adapter_config.json"));
        using var json = JsonDocument.Parse(text);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
        var root = json.RootElement;
        Assert.Equal("LORA", root.GetProperty("peft_type").GetString());
        Assert.Equal("CAUSAL_LM", root.GetProperty("task_type").GetString());
        Assert.Equal(4, root.GetProperty("r").GetInt32());
        Assert.Equal(16, root.GetProperty("lora_alpha").GetInt32());
        Assert.Equal(0.05, root.GetProperty("lora_dropout").GetDouble());
        Assert.Equal(["c_attn", "c_head"], root.GetProperty("target_modules").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.False(root.GetProperty("fan_in_fan_out").GetBoolean());   // targets mix [out, in] and [in, out]
        Assert.Equal("none", root.GetProperty("bias").GetString());
        Assert.False(root.GetProperty("use_rslora").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("modules_to_save").ValueKind);
        Assert.True(root.GetProperty("inference_mode").GetBoolean());
        Assert.True(root.TryGetProperty("base_model_name_or_path", out _));
    }

    [Fact]
    public void HandWrittenPeftLoraLoadsAndGivesExpectedLogits()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "adapter_config.json"), """
            {
              "alpha_pattern": {},
              "auto_mapping": null,
              "base_model_name_or_path": "tiny",
              "bias": "none",
              "fan_in_fan_out": false,
              "inference_mode": true,
              "init_lora_weights": true,
              "layers_to_transform": null,
              "lora_alpha": 6,
              "lora_dropout": 0.0,
              "modules_to_save": null,
              "peft_type": "LORA",
              "r": 3,
              "rank_pattern": {},
              "revision": null,
              "target_modules": ["c_attn"],
              "task_type": "CAUSAL_LM",
              "use_dora": false,
              "use_rslora": false
            }
            """);
        manual_seed(43);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var i in new[] { 0, 1 })
        {
            tensors[$"base_model.model.h.{i}.attn.c_attn.lora_A.weight"] = randn(3, 32) * 0.1;   // [r, in]
            tensors[$"base_model.model.h.{i}.attn.c_attn.lora_B.weight"] = randn(96, 3) * 0.1;   // [out, r]
        }
        SafetensorsFile.Write(Path.Combine(dir.Path, "adapter_model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });

        using var setup = new TinyLoraSetup(Base(44), new LoraSettings(8, 16));
        setup.LoadAdapter(dir.Path, "peft");
        setup.UseAdapter("peft");
        Assert.Equal(new LoraSettings(3, 6), setup.LoraSettingsByAdapter["peft"]);
        using var ids = Ids();
        using var logits = setup.Forward(ids);

        // Expected: the plain base with W ← W + (α/r)·B·A written into its weights by hand.
        var reference = Base(44);
        using (no_grad())
            foreach (var i in new[] { 0, 1 })
                reference.h[i].attn.c_attn.weight.add_(tensors[$"base_model.model.h.{i}.attn.c_attn.lora_B.weight"]
                    .matmul(tensors[$"base_model.model.h.{i}.attn.c_attn.lora_A.weight"]) * (6.0 / 3));
        using var expected = reference.Forward(ids);
        AssertClose(expected, logits, 1e-5);
    }

    [Fact]
    public void HandWrittenPeftPromptLoads()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "adapter_config.json"), """
            {"base_model_name_or_path": "tiny", "inference_mode": true, "num_attention_heads": 2, "num_layers": 2,
             "num_transformer_submodules": 1, "num_virtual_tokens": 5, "peft_type": "PROMPT_TUNING",
             "prompt_tuning_init": "TEXT", "prompt_tuning_init_text": "Classify:", "revision": null,
             "task_type": "CAUSAL_LM", "token_dim": 32, "tokenizer_kwargs": null, "tokenizer_name_or_path": "gpt2"}
            """);
        manual_seed(45);
        using var prompt = randn(5, 32);
        SafetensorsFile.Write(Path.Combine(dir.Path, "adapter_model.safetensors"), [new("prompt_embeddings", prompt)], new Dictionary<string, string> { ["format"] = "pt" });
        var model = Base(46);
        using var setup = new TinyPromptSetup(model, new PromptTuningConfig(5));
        setup.LoadAdapter(dir.Path);
        AssertBitIdentical(prompt, setup.ActivePrompt!.weight.detach());
        using var ids = Ids();
        using var logits = setup.Forward(ids);
        using var joined = cat([prompt.unsqueeze(0).expand(2, 5, 32), model.EmbedTokens(ids)], 1);
        AssertBitIdentical(model.ForwardEmbeddings(joined)[.., 5..], logits);
    }

    [Fact]
    public void PromptBottleneckAndSelectiveRoundTrip()
    {
        using var ids = Ids();
        void RoundTrip(Func<TinyLm, PeftSetup> make, Action<PeftSetup> perturb, string peftType)
        {
            using var dir = new TempDirectory();
            using var saved = make(Base(47));
            perturb(saved);
            saved.SaveAdapter(dir.Path);
            using var loaded = make(Base(47));
            loaded.LoadAdapter(dir.Path);
            AssertBitIdentical(saved.Forward(ids), loaded.Forward(ids));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "adapter_config.json")));
            Assert.Equal(peftType, json.RootElement.GetProperty("peft_type").GetString());
        }
        RoundTrip(m => new TinyPromptSetup(m, new PromptTuningConfig(3, PromptTuningInit.SampleVocab) { BaseLayers = 2, BaseAttentionHeads = 2 }),
            s => { using (no_grad()) s.ActivePrompt!.weight.mul_(1.5); }, "PROMPT_TUNING");
        RoundTrip(m => new TinyBottleneckSetup(m, new BottleneckConfig(4, BottleneckPlacement.Houlsby)),
            s => { foreach (var slot in s.BottleneckSlots) Randomise(slot.Adapters["default"]); }, "BOTTLENECK_ADAPTER");
        RoundTrip(m => new TinyBitFitSetup(m),
            s => { using (no_grad()) foreach (var p in s.TrainableParameters()) p.add_(0.25); }, "SELECTIVE");
    }

    [Fact]
    public void ShapeMismatchNamesTheTensorAndBothShapes()
    {
        using var dir = new TempDirectory();
        using (var setup = TrainedLora(48, new LoraSettings(2, 4))) setup.SaveAdapter(dir.Path);
        // Rewrite one tensor as if the adapter came from a wider base.
        var path = Path.Combine(dir.Path, "adapter_model.safetensors");
        var tensors = new List<KeyValuePair<string, Tensor>>();
        using (var content = SafetensorsFile.Read(path))
            foreach (var (key, value) in content.Tensors)
                tensors.Add(new(key, key == "base_model.model.h.0.attn.c_attn.lora_A.weight" ? zeros(2, 48) : value.clone()));
        SafetensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        using var other = new TinyLoraSetup(Base(48), new LoraSettings(2, 4), includeConv1D: true);
        var error = Assert.Throws<AdapterFormatException>(() => other.LoadAdapter(dir.Path, "x"));
        Assert.Contains("'base_model.model.h.0.attn.c_attn.lora_A.weight'", error.Message);
        Assert.Contains("[2, 48]", error.Message);
        Assert.Contains("[2, 32]", error.Message);
        Assert.DoesNotContain("x", other.AdapterNames);   // nothing was created
    }

    [Fact]
    public void MissingAndUnexpectedTensorsAreNamed()
    {
        using var dir = new TempDirectory();
        using (var setup = TrainedLora(49, new LoraSettings(2, 4))) setup.SaveAdapter(dir.Path);
        // A setup without c_head: the file has tensors it has no place for.
        using var smaller = new TinyLoraSetup(Base(49), new LoraSettings(2, 4));
        var unexpected = Assert.Throws<AdapterFormatException>(() => smaller.LoadAdapter(dir.Path));
        Assert.Contains("'base_model.model.c_head.lora_A.weight'", unexpected.Message);

        using var smallDir = new TempDirectory();
        smaller.SaveAdapter(smallDir.Path);
        using var larger = new TinyLoraSetup(Base(49), new LoraSettings(2, 4), includeConv1D: true);
        var missing = Assert.Throws<AdapterFormatException>(() => larger.LoadAdapter(smallDir.Path, "new"));
        Assert.Contains("missing tensor 'base_model.model.c_head.lora_A.weight'", missing.Message);
    }

    [Fact]
    public void ConfigProblemsNameTheField()
    {
        string Problem(string json)
        {
            using var dir = new TempDirectory();
            File.WriteAllText(Path.Combine(dir.Path, "adapter_config.json"), json);
            using var setup = new TinyLoraSetup(Base(50), new LoraSettings(2, 4));
            return Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(dir.Path, "x")).Message;
        }
        Assert.Contains("\"r\" must be an integer", Problem("""{"peft_type": "LORA", "r": "8"}"""));
        Assert.Contains("\"lora_alpha\" must be a number", Problem("""{"peft_type": "LORA", "r": 8, "lora_alpha": true}"""));
        Assert.Contains("\"target_modules\" must be a list of strings", Problem("""{"peft_type": "LORA", "r": 8, "target_modules": [1]}"""));
        Assert.Contains("the adapter is PROMPT_TUNING", Problem("""{"peft_type": "PROMPT_TUNING"}"""));
        Assert.Contains("missing \"peft_type\"", Problem("""{"r": 8}"""));
        Assert.Contains("\"lora_dropout\" is invalid", Problem("""{"peft_type": "LORA", "r": 8, "lora_dropout": 1.5}"""));
        Assert.Contains("\"r\"", Problem("""{"peft_type": "LORA", "r": 0}"""));
        Assert.Contains("\"bias\" is \"all\"", Problem("""{"peft_type": "LORA", "r": 8, "bias": "all"}"""));
    }

    [Fact]
    public void ConfigJsonRoundTripsAndIgnoresUnknownKeys()
    {
        var config = new PeftAdapterConfig
        {
            PeftType = PeftTypes.Lora, R = 8, LoraAlpha = 16, LoraDropout = 0.05, TargetModules = ["c_attn"],
            FanInFanOut = true, Bias = "none", UseRslora = false, BaseModelNameOrPath = "gpt2",
        };
        var text = PeftAdapterConfigJson.Write(config);
        Assert.Contains("\"lora_alpha\": 16,", text);
        Assert.Contains("\n  \"r\": 8,", text);
        var parsed = PeftAdapterConfigJson.Parse(text.Replace("{", "{\"future_field\": {\"x\": [1]},"), "mem");
        Assert.Equal(config with { TargetModules = parsed.TargetModules }, parsed);
        Assert.Equal(config.TargetModules, parsed.TargetModules);
    }

    [Fact]
    public void ExistingAdapterWithOtherSettingsOrPromptLengthIsRefused()
    {
        using var dir = new TempDirectory();
        using (var rank4 = TrainedLora(51, new LoraSettings(4, 8))) rank4.SaveAdapter(dir.Path);
        using var rank2 = new TinyLoraSetup(Base(51), new LoraSettings(2, 8), includeConv1D: true);
        var error = Assert.Throws<AdapterFormatException>(() => rank2.LoadAdapter(dir.Path));
        Assert.Contains("r=2", error.Message);
        Assert.Contains("r=4", error.Message);
        Assert.Contains("new adapter name", error.Message);
        rank2.LoadAdapter(dir.Path, "rank4");                       // a new name takes the file's rank
        Assert.Equal(4, rank2.LoraSettingsByAdapter["rank4"].Rank);

        using var promptDir = new TempDirectory();
        using (var five = new TinyPromptSetup(Base(52), new PromptTuningConfig(5))) five.SaveAdapter(promptDir.Path);
        using var three = new TinyPromptSetup(Base(52), new PromptTuningConfig(3));
        var mismatch = Assert.Throws<AdapterFormatException>(() => three.LoadAdapter(promptDir.Path));
        Assert.Contains("'prompt_embeddings' is [5, 32] in the file but this base needs [3, 32]", mismatch.Message);
    }
}
