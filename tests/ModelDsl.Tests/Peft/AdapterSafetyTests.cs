using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.IO;
using TorchSharp;
using Xunit;
using static ModelDsl.Tests.Peft.PeftTestHelpers;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

/// <summary>
/// Loading an adapter checks everything before it changes the setup, fields that would change the math are refused by
/// name, and saving a merged model writes exactly the base's keys.
/// </summary>
public sealed class AdapterSafetyTests
{
    static TinyLm Base(int seed)
    {
        manual_seed(seed);
        return new TinyLm();
    }

    // An adapter directory for the TinyLoraSetup targets with the given rank, zero tensors, and extra config fields.
    static void WriteLoraAdapter(string directory, int rank, string extraJson = "")
    {
        using var shape = new TinyLoraSetup(Base(1), new LoraSettings(2, 4));
        var settings = new LoraSettings(rank, 8);
        var tensors = PeftAdapterLayout.Tensors(shape, "probe", settings)
            .Select(t => KeyValuePair.Create(t.Key, zeros(t.Shape)))
            .ToList();
        Directory.CreateDirectory(directory);
        SafetensorsFile.Write(Path.Combine(directory, PeftAdapterFiles.WeightsFileName), tensors);
        var json = PeftAdapterConfigJson.Write(new PeftAdapterConfig
        {
            PeftType = PeftTypes.Lora, R = rank, LoraAlpha = 8, LoraDropout = 0, TargetModules = ["c_attn"], Bias = "none",
        });
        if (extraJson.StartsWith("\"task_type\"", StringComparison.Ordinal)) json = json.Replace("\"task_type\": \"CAUSAL_LM\"", extraJson);
        else if (extraJson.Length > 0) json = json.Replace("{", "{" + extraJson + ",");
        File.WriteAllText(Path.Combine(directory, PeftAdapterFiles.ConfigFileName), json);
    }

    [Fact]
    public void An_adapter_whose_rank_a_target_layer_cannot_take_is_refused_and_the_setup_is_unchanged()
    {
        using var dir = new TempDirectory();
        WriteLoraAdapter(dir.Path, rank: 40); // the targets' smaller dimension is 32
        using var setup = new TinyLoraSetup(Base(2), new LoraSettings(2, 4));

        var error = Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(dir.Path, "big"));

        Assert.Contains("\"r\" is 40", error.Message);
        Assert.Contains("h.0.attn.c_attn", error.Message);
        Assert.Equal(["default"], setup.AdapterNames);
        Assert.Equal(["default"], setup.LoraSettingsByAdapter.Keys.Order());
        Assert.All(setup.LoraTargets, t => Assert.Equal(["default"], t.Layer.LoraAdapters.Keys));
    }

    [Fact]
    public void AddAdapter_with_a_rank_too_large_for_one_target_changes_no_target()
    {
        using var setup = new TinyLoraSetup(Base(3), new LoraSettings(2, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => setup.AddAdapter("big", new LoraSettings(40, 8)));
        Assert.Equal(["default"], setup.AdapterNames);
        Assert.False(setup.LoraSettingsByAdapter.ContainsKey("big"));
    }

    [Theory]
    [InlineData("\"rank_pattern\": {\"h.0.attn.c_attn\": 4}", "rank_pattern")]
    [InlineData("\"alpha_pattern\": {\"c_attn\": 32}", "alpha_pattern")]
    [InlineData("\"use_dora\": true", "use_dora")]
    [InlineData("\"lora_bias\": true", "lora_bias")]
    [InlineData("\"layer_replication\": [[0, 1], [0, 2]]", "layer_replication")]
    [InlineData("\"alora_invocation_tokens\": [5, 6]", "alora_invocation_tokens")]
    [InlineData("\"init_lora_weights\": \"pissa_niter_4\"", "init_lora_weights")]
    [InlineData("\"task_type\": \"SEQ_CLS\"", "task_type")]
    [InlineData("\"target_parameters\": [\"mlp.experts.down_proj\"]", "target_parameters")]
    [InlineData("\"trainable_token_indices\": [0, 1, 2]", "trainable_token_indices")]
    [InlineData("\"use_qalora\": true", "use_qalora")]
    [InlineData("\"use_bdlora\": {\"nblocks\": 2}", "use_bdlora")]
    [InlineData("\"velora_config\": {\"rank\": 1}", "velora_config")]
    [InlineData("\"kasa_config\": {\"scale\": 1}", "kasa_config")]
    [InlineData("\"monteclora_config\": {\"n\": 4}", "monteclora_config")]
    [InlineData("\"arrow_config\": {\"top_k\": 2}", "arrow_config")]
    [InlineData("\"megatron_config\": {\"tensor_model_parallel_size\": 2}", "megatron_config")]
    [InlineData("\"modules_to_save\": [\"lm_head\"]", "modules_to_save")]
    [InlineData("\"init_lora_weights\": \"olora\"", "init_lora_weights")]
    [InlineData("\"init_lora_weights\": \"corda\"", "init_lora_weights")]
    [InlineData("\"init_lora_weights\": \"loftq\"", "init_lora_weights")]
    public void A_field_that_changes_the_math_is_refused_by_name(string field, string name)
    {
        using var dir = new TempDirectory();
        WriteLoraAdapter(dir.Path, rank: 2, field);
        using var setup = new TinyLoraSetup(Base(4), new LoraSettings(2, 4));

        var error = Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(dir.Path, "other"));

        Assert.Contains($"\"{name}\"", error.Message);
        Assert.Equal(["default"], setup.AdapterNames);
    }

    [Fact]
    public void A_field_given_twice_is_refused()
    {
        using var dir = new TempDirectory();
        WriteLoraAdapter(dir.Path, rank: 2, "\"r\": 3");
        using var setup = new TinyLoraSetup(Base(4), new LoraSettings(2, 4));
        Assert.Contains("\"r\" appears 2 times", Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(dir.Path, "other")).Message);
    }

    [Fact]
    public void Fields_at_their_defaults_and_fields_that_only_describe_the_init_are_accepted()
    {
        using var dir = new TempDirectory();
        WriteLoraAdapter(dir.Path, rank: 2,
            "\"rank_pattern\": {}, \"alpha_pattern\": {}, \"use_dora\": false, \"lora_bias\": false, \"layer_replication\": null, "
            + "\"init_lora_weights\": \"gaussian\", \"loftq_config\": {}, \"peft_version\": \"0.17.1\", \"megatron_core\": \"megatron.core\"");
        using var setup = new TinyLoraSetup(Base(5), new LoraSettings(2, 4));
        setup.LoadAdapter(dir.Path, "other");
        Assert.Contains("other", setup.AdapterNames);
    }

    [Fact]
    public void Saving_the_base_after_a_merge_writes_exactly_the_bases_keys_and_reloads_strictly()
    {
        using var dir = new TempDirectory();
        manual_seed(5);
        using var setup = new TinyGpt2Lora(new GeneratedTinyGpt2());
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        using var fresh = new GeneratedTinyGpt2();
        fresh.SavePretrained(dir.File("fresh"));
        setup.Merge();
        setup.Model.SavePretrained(dir.File("merged"));

        Assert.Equal(Keys(dir.File("fresh")), Keys(dir.File("merged")));
        using var reloaded = GeneratedTinyGpt2.FromPretrained(dir.File("merged"));
        using var ids = randint(0, 50, [2, 6], dtype: ScalarType.Int64);
        setup.eval();
        reloaded.eval();
        AssertClose(setup.Forward(ids), reloaded.Forward(ids), 1e-5);
    }

    [Fact]
    public void MergeAndUnload_returns_the_plain_base_with_merged_weights()
    {
        using var dir = new TempDirectory();
        manual_seed(6);
        using var setup = new TinyGpt2Lora(new GeneratedTinyGpt2());
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        using var ids = randint(0, 50, [2, 6], dtype: ScalarType.Int64);
        setup.eval();
        using var adapted = setup.Forward(ids);

        var plain = setup.MergeAndUnload();

        Assert.Same(setup.Model, plain);
        Assert.DoesNotContain(plain.state_dict().Keys, k => k.Contains("lora_", StringComparison.Ordinal));
        Assert.All(setup.Model.named_modules().Select(m => m.module).OfType<ModelDsl.Layers.LinearBase>(), l => Assert.Null(l.Update));
        AssertClose(adapted, plain.Forward(ids), 1e-5);
        plain.SavePretrained(dir.Path);
        using var reloaded = GeneratedTinyGpt2.FromPretrained(dir.Path);
        reloaded.eval();
        AssertClose(adapted, reloaded.Forward(ids), 1e-5);
        Assert.Throws<InvalidOperationException>(() => setup.UseAdapter("default"));
        Assert.Throws<InvalidOperationException>(() => setup.SaveAdapter(dir.File("adapter")));
    }

    [Fact]
    public void MergeAndUnload_is_refused_for_a_soft_prompt_by_name()
    {
        using var setup = new TinyPromptSetup(Base(7), new PromptTuningConfig(4));
        Assert.Contains("LoRA only", Assert.Throws<InvalidOperationException>(() => setup.MergeAndUnload()).Message);
    }

    [Fact]
    public void Saving_over_an_adapter_keeps_the_other_files_of_its_directory()
    {
        using var dir = new TempDirectory();
        using var setup = new TinyLoraSetup(Base(8), new LoraSettings(2, 4));
        setup.SaveAdapter(dir.Path);
        File.WriteAllText(dir.File("README.md"), "notes");
        Randomise(setup.LoraTargets[0].Layer.ActiveLora!);
        setup.SaveAdapter(dir.Path);

        Assert.Equal("notes", File.ReadAllText(dir.File("README.md")));
        using var loaded = new TinyLoraSetup(Base(8), new LoraSettings(2, 4));
        loaded.LoadAdapter(dir.Path);
        AssertBitIdentical(setup.LoraTargets[0].Layer.ActiveLora!.lora_B.weight.detach(), loaded.LoraTargets[0].Layer.ActiveLora!.lora_B.weight.detach());
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(dir.Path)!, "." + Path.GetFileName(dir.Path) + ".*"));
    }

    static string[] Keys(string directory)
    {
        using var content = SafetensorsFile.Read(Path.Combine(directory, "model.safetensors"));
        return content.Tensors.Keys.Order(StringComparer.Ordinal).ToArray();
    }
}
