using ModelDsl.IO;
using ModelDsl.Models;
using Xunit;

namespace ModelDsl.Tests.Families;

/// <summary>Reading and rejecting Hugging Face config.json files.</summary>
public sealed class ConfigJsonTests
{
    const string Gpt2Json = """{"model_type":"gpt2","n_layer":2,"n_embd":32,"n_head":4,"vocab_size":50,"n_positions":16}""";

    static string Gpt2With(string field, string value) =>
        Gpt2Json.Replace($"\"{field}\":", $"\"ignored_{field}\":").Replace("}", $",\"{field}\":{value}}}");

    [Fact]
    public void Gpt2_config_reads_fields_ignores_unknown_keys_and_accepts_n_ctx()
    {
        var json = """{"n_layer":3,"n_embd":48,"n_head":6,"vocab_size":99,"n_ctx":20,"layer_norm_epsilon":1e-6,"summary_type":"cls_index","extra":{"a":[1]}}""";
        Assert.Equal(new Gpt2Config(3, 48, 6, 99, 20, 1e-6), ModelConfigJson.Parse<Gpt2Config>(json));
    }

    [Fact]
    public void Gpt2_config_round_trips_through_json()
    {
        var config = new Gpt2Config(5, 40, 8, 300, 64, 3e-5);
        Assert.Equal(config, ModelConfigJson.Parse<Gpt2Config>(config.ToJson()));
    }

    [Fact]
    public void Llama_config_round_trips_and_defaults_kv_heads_to_heads()
    {
        var config = new LlamaConfig(3, 64, 8, 2, 100, 77, 128, RopeTheta: 5e5, TieEmbeddings: true, NormEps: 1e-6);
        Assert.Equal(config, ModelConfigJson.Parse<LlamaConfig>(config.ToJson()));
        var legacy = ModelConfigJson.Parse<LlamaConfig>("""{"model_type":"llama","num_hidden_layers":2,"hidden_size":32,"num_attention_heads":4,"intermediate_size":40,"vocab_size":10,"max_position_embeddings":8}""");
        Assert.Equal(4, legacy.KvHeads);
        Assert.Equal(10000, legacy.RopeTheta);
    }

    [Theory]
    [InlineData("n_embd", "-5", "between 1 and")]
    [InlineData("n_embd", "0", "between 1 and")]
    [InlineData("n_head", "\"12\"", "must be an integer")]
    [InlineData("n_layer", "2.5", "must be an integer")]
    [InlineData("vocab_size", "1e12", "must be an integer")]
    [InlineData("n_head", "5", "must divide n_embd")]
    [InlineData("layer_norm_epsilon", "\"small\"", "finite number")]
    public void Gpt2_config_rejects_a_wrong_field_and_names_it(string field, string value, string problem)
    {
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<Gpt2Config>(Gpt2With(field, value), "test config.json"));
        Assert.Contains(field, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Contains("test config.json", error.Message);
    }

    [Fact]
    public void Gpt2_config_rejects_sizes_that_would_need_more_than_a_terabyte()
    {
        var json = """{"n_layer":1000,"n_embd":65536,"n_head":64,"vocab_size":50257,"n_positions":1024}""";
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<Gpt2Config>(json));
        Assert.Contains("1 TB", error.Message);
        Assert.Contains("n_layer = 1000", error.Message);
        Assert.Contains("n_embd = 65536", error.Message);
    }

    [Fact]
    public void Missing_required_field_is_named()
    {
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<Gpt2Config>("""{"n_layer":2,"n_embd":32,"n_head":4,"vocab_size":50}"""));
        Assert.Contains("\"n_positions\" (or n_ctx)", error.Message);
    }

    [Fact]
    public void Config_of_another_family_is_rejected()
    {
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<LlamaConfig>(Gpt2Json));
        Assert.Contains("\"gpt2\"", error.Message);
        Assert.Contains("\"llama\"", error.Message);
    }

    [Theory]
    [InlineData("\"num_key_value_heads\":3", "num_key_value_heads")]
    [InlineData("\"rope_scaling\":{\"type\":\"dynamic\",\"factor\":2.0}", "rope_scaling")]
    [InlineData("\"attention_bias\":true", "attention_bias")]
    [InlineData("\"hidden_act\":\"gelu\"", "hidden_act")]
    [InlineData("\"tie_word_embeddings\":1", "tie_word_embeddings")]
    public void Llama_config_rejects_what_it_cannot_honour(string field, string name)
    {
        var json = $$"""{"num_hidden_layers":2,"hidden_size":32,"num_attention_heads":4,"intermediate_size":40,"vocab_size":10,"max_position_embeddings":8,{{field}}}""";
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<LlamaConfig>(json));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Invalid_json_is_reported_with_its_source()
    {
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Parse<Gpt2Config>("{\"n_layer\": ", "my/config.json"));
        Assert.Contains("my/config.json is not valid JSON", error.Message);
    }
}
