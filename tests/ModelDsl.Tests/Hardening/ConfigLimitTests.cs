using ModelDsl.IO;
using System;
using ModelDsl.IO.Peft;
using ModelDsl.Models;
using Xunit;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// A configuration whose sizes would need terabytes is refused while it is read, naming the fields, and reading it
/// allocates nothing of that size; wrong JSON types and unreadable strings get the SDK's own exception.
/// </summary>
public sealed class ConfigLimitTests
{
    static (T Error, long Allocated) Refuse<T>(Action read) where T : Exception
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<T>(read);
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_gpt2_config_needing_terabytes_is_refused_naming_the_sizes()
    {
        var json = new Gpt2Config(Layers: 2, Dim: 32, Heads: 4, Vocab: 50, Context: 16).ToJson()
            .Replace("\"n_embd\": 32", "\"n_embd\": 2000000").Replace("\"vocab_size\": 50", "\"vocab_size\": 1000000");

        var (error, allocated) = Refuse<ModelConfigException>(() => ModelConfigJson.Parse<Gpt2Config>(json));

        Assert.Contains("n_embd = 2000000", error.Message);
        Assert.Contains("vocab_size = 1000000", error.Message);
        Assert.Contains("over the 1 TB limit", error.Message);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes to refuse the config");
    }

    [Fact]
    public void A_llama_config_needing_terabytes_is_refused_naming_the_sizes()
    {
        var json = new LlamaConfig(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 48, Vocab: 50, Context: 16).ToJson()
            .Replace("\"intermediate_size\": 48", "\"intermediate_size\": 2000000000").Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 1000");

        var (error, allocated) = Refuse<ModelConfigException>(() => ModelConfigJson.Parse<LlamaConfig>(json));

        Assert.Contains("intermediate_size = 2000000000", error.Message);
        Assert.Contains("num_hidden_layers = 1000", error.Message);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes to refuse the config");
    }

    [Theory]
    [InlineData("\"activation_function\": 5", "activation_function")]
    [InlineData("\"n_inner\": \"wide\"", "n_inner")]
    [InlineData("\"scale_attn_by_inverse_layer_idx\": \"no\"", "scale_attn_by_inverse_layer_idx")]
    public void A_variant_field_of_the_wrong_json_type_is_refused_naming_it(string field, string name)
    {
        var json = $$"""{"model_type": "gpt2", "n_layer": 1, "n_embd": 8, "n_head": 2, "vocab_size": 10, "n_positions": 4, {{field}}}""";

        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<Gpt2Config>(json));

        Assert.Contains($"field \"{name}\"", error.Message);
        Assert.Contains("not supported", error.Message);
    }

    [Fact]
    public void A_config_json_that_is_not_an_object_says_what_it_found()
    {
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<LlamaConfig>("[1, 2]", "'dir/config.json'"));
        Assert.Equal("'dir/config.json' must hold a JSON object, found Array.", error.Message);
    }

    [Fact]
    public void Escaped_unpaired_surrogates_are_reported_with_their_path()
    {
        var model = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<Gpt2Config>("""{"model_type": "\uDC00"}"""));
        Assert.Contains("$.model_type", model.Message);
        Assert.Contains("unpaired UTF-16 surrogate", model.Message);

        var adapter = Assert.Throws<AdapterFormatException>(() => PeftAdapterConfigJson.Parse("""{"peft_type": "LORA", "target_modules": ["q", "\uD800"]}""", "adapter_config.json"));
        Assert.Contains("$.target_modules[1]", adapter.Message);
    }
}
