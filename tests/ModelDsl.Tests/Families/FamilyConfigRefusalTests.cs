using System.Collections.Generic;
using ModelDsl.IO;
using ModelDsl.Models;
using Xunit;

namespace ModelDsl.Tests.Families;

/// <summary>
/// Every config.json field whose value ModelDsl would compute differently than Hugging Face is refused, naming the
/// field (in the exception's message and its <see cref="ModelConfigException.Field"/>); what Hugging Face's math does
/// not depend on is read.
/// </summary>
public sealed class FamilyConfigRefusalTests
{
    static readonly Dictionary<string, TinyDecoder> Tiny = new()
    {
        ["llama"] = new("llama", 2, 32, 4, 2, 8, 48, 61, 64, false, 1e-5, 10000),
        ["mistral"] = new("mistral", 2, 32, 4, 2, 8, 48, 61, 64, false, 1e-5, 10000, Window: 16),
        ["qwen2"] = new("qwen2", 2, 32, 4, 2, 8, 48, 61, 64, true, 1e-6, 1e6),
        ["qwen3"] = new("qwen3", 2, 32, 4, 2, 16, 48, 61, 64, true, 1e-6, 1e6),
        ["phi3"] = new("phi3", 2, 32, 4, 4, 8, 48, 61, 64, false, 1e-5, 10000, Window: 31),
        ["gemma"] = new("gemma", 2, 32, 4, 1, 16, 48, 61, 64, true, 1e-6, 10000),
    };

    static Dictionary<string, object?> Field(string name, object? value) => new() { [name] = value };

    public static TheoryData<string, string, object?, string> Refused => new()
    {
        { "llama", "rope_scaling", new Dictionary<string, object> { ["rope_type"] = "dynamic", ["factor"] = 2.0 }, "rope_scaling.rope_type" },
        { "llama", "rope_scaling", new Dictionary<string, object> { ["type"] = "yarn", ["factor"] = 4.0 }, "rope_scaling.rope_type" },
        { "phi3", "rope_scaling", new Dictionary<string, object> { ["type"] = "longrope", ["long_factor"] = new[] { 1.0 }, ["short_factor"] = new[] { 1.0 } }, "rope_scaling.rope_type" },
        { "qwen2", "rope_scaling", new Dictionary<string, object> { ["rope_type"] = "ntk", ["factor"] = 2.0 }, "rope_scaling.rope_type" },
        { "llama", "rope_scaling", new Dictionary<string, object> { ["rope_type"] = "linear" }, "rope_scaling.factor" },
        { "llama", "rope_scaling", new Dictionary<string, object> { ["rope_type"] = "llama3", ["factor"] = 8.0, ["low_freq_factor"] = 1.0, ["high_freq_factor"] = 4.0 }, "rope_scaling.original_max_position_embeddings" },
        { "llama", "rope_scaling", new Dictionary<string, object> { ["rope_type"] = "llama3", ["factor"] = 8.0, ["low_freq_factor"] = 4.0, ["high_freq_factor"] = 4.0, ["original_max_position_embeddings"] = 16 }, "rope_scaling.high_freq_factor" },
        { "phi3", "partial_rotary_factor", 0.5, "partial_rotary_factor" },
        { "llama", "attention_dropout", 0.1, "attention_dropout" },
        { "phi3", "resid_pdrop", 0.1, "resid_pdrop" },
        { "phi3", "embd_pdrop", 0.1, "embd_pdrop" },
        { "llama", "attention_bias", true, "attention_bias" },
        { "qwen3", "attention_bias", true, "attention_bias" },
        { "gemma", "attention_bias", true, "attention_bias" },
        { "llama", "mlp_bias", true, "mlp_bias" },
        { "mistral", "hidden_act", "gelu", "hidden_act" },
        { "qwen2", "hidden_act", "relu", "hidden_act" },
        { "gemma", "hidden_act", "silu", "hidden_act" },
        { "gemma", "hidden_activation", "gelu", "hidden_activation" },
        { "gemma", "final_logit_softcapping", 30.0, "final_logit_softcapping" },
        { "gemma", "attn_logit_softcapping", 50.0, "attn_logit_softcapping" },
        { "qwen2", "quantization_config", new Dictionary<string, object> { ["quant_method"] = "gptq", ["bits"] = 4 }, "quantization_config" },
        { "qwen2", "layer_types", new[] { "sliding_attention", "full_attention" }, "layer_types" },
        { "qwen3", "layer_types", new[] { "full_attention", "sliding_attention" }, "layer_types" },
        { "llama", "rope_parameters", new Dictionary<string, object> { ["rope_type"] = "default", ["rope_theta"] = 10000.0 }, "rope_parameters" },
        { "mistral", "sliding_window", 0, "sliding_window" },
        { "llama", "head_dim", 7, "head_dim" },
        { "qwen2", "num_key_value_heads", 3, "num_key_value_heads" },
        { "gemma", "rms_norm_eps", -1e-6, "rms_norm_eps" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_field_that_changes_the_math_unimplemented_is_refused_by_name(string family, string field, object? value, string named)
    {
        var json = HubCheckpoint.ConfigJson(Tiny[family], Field(field, value));
        // The same-line "rope_parameters" case has a rope_scaling too (null here), which is fine; make it non-null to conflict.
        if (field == "rope_parameters") json = json.Replace("\"rope_scaling\": null", "\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2.0}");

        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse(json, "hub config.json"));

        Assert.Equal(named, error.Field);
        Assert.Contains(named.Split('.')[0], error.Message);
        Assert.StartsWith("hub config.json", error.Message);
        // An unimplemented rope type is named by its value too ("dynamic", "yarn"…), whichever key the file spells it with.
        if (named == "rope_scaling.rope_type" && value is Dictionary<string, object> scaling)
            Assert.Contains($"\"{(scaling.TryGetValue("rope_type", out var type) ? type : scaling["type"])}\"", error.Message);
    }

    [Fact]
    public void A_gpt2_config_with_an_untied_head_is_refused()
    {
        var json = """{"model_type": "gpt2", "n_layer": 2, "n_embd": 32, "n_head": 4, "vocab_size": 50, "n_positions": 16, "tie_word_embeddings": false}""";
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse(json));
        Assert.Equal("tie_word_embeddings", error.Field);
    }

    [Fact]
    public void More_layers_than_ModelDsl_lays_out_are_refused_as_the_generator_refuses_them()
    {
        var json = HubCheckpoint.ConfigJson(Tiny["llama"], Field("num_hidden_layers", 2000));
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse(json));
        Assert.Equal("num_hidden_layers", error.Field);
        Assert.Contains("at most 1024 blocks", error.Message);
    }

    public static TheoryData<string, string, object?> Accepted => new()
    {
        // Fields Hugging Face's math for the family does not read, or values that change nothing.
        { "llama", "pretraining_tp", 2 },
        { "llama", "rope_scaling", new Dictionary<string, object> { ["rope_type"] = "default" } },
        { "llama", "sliding_window", 4096 },
        { "qwen2", "attention_bias", true },
        { "mistral", "attention_dropout", 0.0 },
        { "phi3", "original_max_position_embeddings", 4096 },
        { "gemma", "hidden_activation", "gelu_pytorch_tanh" },
        { "qwen3", "layer_types", new[] { "full_attention", "full_attention" } },
        { "llama", "partial_rotary_factor", 1.0 },
        { "qwen2", "use_sliding_window", false },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void A_field_the_math_does_not_depend_on_is_read(string family, string field, object? value) =>
        Assert.NotNull(ModelConfigJson.Parse(HubCheckpoint.ConfigJson(Tiny[family], Field(field, value))));

    [Fact]
    public void Each_family_reads_its_own_model_type_and_refuses_another()
    {
        foreach (var (family, tiny) in Tiny)
        {
            var config = ModelConfigJson.Parse(HubCheckpoint.ConfigJson(tiny));
            Assert.Equal(family, config.ModelType);
        }
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<Qwen3Config>(HubCheckpoint.ConfigJson(Tiny["qwen2"])));
        Assert.Contains("\"qwen2\"", error.Message);
        Assert.Contains("\"qwen3\"", error.Message);
        var unknown = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse(HubCheckpoint.ConfigJson(Tiny["qwen2"]).Replace("\"qwen2\"", "\"mixtral\"")));
        Assert.Contains("\"mixtral\"", unknown.Message);
        Assert.Contains("\"gemma\"", unknown.Message);
    }

    [Fact]
    public void Hugging_Face_defaults_apply_to_absent_fields()
    {
        // Qwen3's config class defaults head_dim to 128, Gemma's to 256; num_key_value_heads null means one per head.
        var qwen3 = ModelConfigJson.Parse<Qwen3Config>("""{"model_type":"qwen3","num_hidden_layers":1,"hidden_size":64,"num_attention_heads":4,"num_key_value_heads":null,"intermediate_size":8,"vocab_size":10,"max_position_embeddings":8}""");
        Assert.Equal(128, qwen3.HeadWidth);
        Assert.Equal(4, qwen3.KvHeads);
        var gemma = ModelConfigJson.Parse<GemmaConfig>("""{"model_type":"gemma","num_hidden_layers":1,"hidden_size":64,"num_attention_heads":4,"num_key_value_heads":1,"intermediate_size":8,"vocab_size":10,"max_position_embeddings":8}""");
        Assert.Equal(256, gemma.HeadWidth);
        Assert.True(gemma.TieEmbeddings);
        var mistral = ModelConfigJson.Parse<MistralConfig>("""{"model_type":"mistral","num_hidden_layers":1,"hidden_size":64,"num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":8,"vocab_size":10,"max_position_embeddings":8}""");
        Assert.Equal(4096, mistral.SlidingWindow);
    }

    [Fact]
    public void Every_family_config_round_trips_through_its_json()
    {
        ModelConfig[] configs =
        [
            new LlamaConfig(2, 32, 4, 2, 48, 61, 64, 500000, true, 1e-5, 16, Layers.RotaryScaling.Llama3(32, 1, 4, 16)),
            new MistralConfig(2, 32, 4, 2, 48, 61, 64, SlidingWindow: 8),
            new Qwen2Config(2, 32, 4, 2, 48, 61, 64, 1e6, true, 1e-6, 0, Layers.RotaryScaling.Linear(2), SlidingWindow: 8, MaxWindowLayers: 1),
            new Qwen3Config(2, 32, 4, 2, 48, 61, 64, HeadDim: 16),
            new Phi3Config(2, 32, 4, 4, 48, 61, 64, SlidingWindow: 31),
            new GemmaConfig(2, 32, 4, 1, 48, 61, 64, HeadDim: 16, HiddenAct: Activation.Gelu),
        ];
        foreach (var config in configs)
            Assert.Equal(config, ModelConfigJson.Parse(config.ToJson()));
    }
}
