using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Tests.IO;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>SavePretrained → LoadPretrained into a differently initialised instance gives identical logits.</summary>
public sealed class PretrainedRoundTripTests
{
    [Fact]
    public void Gpt2_save_then_load_gives_identical_logits()
    {
        using var dir = new TempDirectory();
        using var source = TinyModels.NewGpt2(seed: 1);
        using var target = TinyModels.NewGpt2(seed: 2);
        using var ids = TinyModels.Ids(TinyModels.Gpt2.Vocab, 2, 7, seed: 5);
        using var before = target.Forward(ids);
        using var expected = source.Forward(ids);
        Assert.False(TensorCompare.Identical(before, expected));

        source.SavePretrained(dir.Path);
        target.LoadPretrained(dir.Path);

        using var actual = target.Forward(ids);
        Assert.True(TensorCompare.Identical(actual, expected));
        // The layout Hugging Face writes: prefixed keys, the tied head omitted, format metadata, the config fields.
        using var saved = SafetensorsFile.Read(dir.File("model.safetensors"));
        Assert.Equal("pt", saved.Metadata["format"]);
        Assert.Contains("transformer.h.1.attn.c_attn.weight", saved.Tensors.Keys);
        Assert.DoesNotContain("lm_head.weight", saved.Tensors.Keys);
        Assert.Equal(TinyModels.Gpt2, ModelConfigJson.Load<Gpt2Config>(dir.File("config.json")));
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("config.json")));
        Assert.Equal("gpt2", json.RootElement.GetProperty("model_type").GetString());
        Assert.Equal("GPT2LMHeadModel", json.RootElement.GetProperty("architectures")[0].GetString());
        Assert.Equal(TinyModels.Gpt2.Dim, json.RootElement.GetProperty("n_embd").GetInt32());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Llama_with_gqa_save_then_load_gives_identical_logits(bool tied)
    {
        var config = TinyModels.Llama with { TieEmbeddings = tied };
        using var dir = new TempDirectory();
        using var source = TinyModels.NewLlama(seed: 1, config);
        using var target = TinyModels.NewLlama(seed: 2, config);
        using var ids = TinyModels.Ids(config.Vocab, 2, 7, seed: 5);
        using var expected = source.Forward(ids);
        Assert.False(TensorCompare.Identical(target.Forward(ids), expected));

        source.SavePretrained(dir.Path);
        target.LoadPretrained(dir.Path);

        Assert.True(TensorCompare.Identical(target.Forward(ids), expected));
        using var saved = SafetensorsFile.Read(dir.File("model.safetensors"));
        Assert.Equal(!tied, saved.Tensors.ContainsKey("lm_head.weight"));
        Assert.Equal(new long[] { 2 * 8, 32 }, saved.Tensors["model.layers.0.self_attn.k_proj.weight"].shape);
        Assert.Equal(config, ModelConfigJson.Load<LlamaConfig>(dir.File("config.json")));
    }

    [Fact]
    public void Gpt2_hub_file_without_prefix_and_with_mask_buffers_loads()
    {
        using var dir = new TempDirectory();
        using var source = TinyModels.NewGpt2(seed: 3);
        var context = TinyModels.Gpt2.Context;
        // As the original hub files: no "transformer." prefix, causal-mask buffers per layer, the tied head stored.
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, value) in source.state_dict())
            tensors.Add(new(name["transformer.".Length..], value));
        for (var i = 0; i < TinyModels.Gpt2.Layers; i++)
        {
            tensors.Add(new($"h.{i}.attn.bias", ones(context, context).tril().view(1, 1, context, context)));
            tensors.Add(new($"h.{i}.attn.masked_bias", tensor(-1e4f)));
        }
        tensors.Add(new("lm_head.weight", source.transformer.wte.weight));
        SafetensorsFile.Write(dir.File("model.safetensors"), tensors);
        File.WriteAllText(dir.File("config.json"), $$"""
            {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
             "model_type": "gpt2", "n_ctx": {{context}}, "n_embd": 32, "n_head": 4, "n_layer": 2,
             "vocab_size": 50, "layer_norm_epsilon": 1e-05, "task_specific_params": {"text-generation": {"do_sample": true} } }
            """);

        using var target = TinyModels.NewGpt2(seed: 4);
        target.LoadPretrained(dir.Path);

        using var ids = TinyModels.Ids(TinyModels.Gpt2.Vocab, 1, 8, seed: 6);
        Assert.True(TensorCompare.Identical(target.Forward(ids), source.Forward(ids)));
    }

    [Fact]
    public void Llama_sharded_checkpoint_with_legacy_rotary_buffers_loads()
    {
        using var dir = new TempDirectory();
        using var source = TinyModels.NewLlama(seed: 7);
        source.SavePretrained(dir.Path);
        File.Delete(dir.File("model.safetensors"));
        // Two shards plus an index, with the inv_freq buffers older exports stored.
        var all = source.state_dict().ToList();
        var first = all.Take(all.Count / 2).ToList();
        var second = all.Skip(all.Count / 2).ToList();
        first.Add(new("model.layers.0.self_attn.rotary_emb.inv_freq", ones(4)));
        SafetensorsFile.Write(dir.File("model-00001-of-00002.safetensors"), first);
        SafetensorsFile.Write(dir.File("model-00002-of-00002.safetensors"), second);
        var weightMap = first.ToDictionary(kv => kv.Key, _ => "model-00001-of-00002.safetensors");
        foreach (var (key, _) in second) weightMap[key] = "model-00002-of-00002.safetensors";
        File.WriteAllText(dir.File("model.safetensors.index.json"),
            JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = weightMap }));

        using var target = TinyModels.NewLlama(seed: 8);
        target.LoadPretrained(dir.Path);

        using var ids = TinyModels.Ids(TinyModels.Llama.Vocab, 1, 8, seed: 6);
        Assert.True(TensorCompare.Identical(target.Forward(ids), source.Forward(ids)));
    }

    [Fact]
    public void Half_precision_weights_load_into_a_float32_model()
    {
        using var dir = new TempDirectory();
        using var source = TinyModels.NewLlama(seed: 9);
        source.SavePretrained(dir.Path);
        var halves = source.state_dict().Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.to_type(ScalarType.BFloat16))).ToList();
        SafetensorsFile.Write(dir.File("model.safetensors"), halves);

        using var target = TinyModels.NewLlama(seed: 10);
        target.LoadPretrained(dir.Path);

        var loaded = target.model.embed_tokens.weight;
        Assert.Equal(ScalarType.Float32, loaded.dtype);
        Assert.True(TensorCompare.Identical(loaded, halves[0].Value.to_type(ScalarType.Float32)));
    }
}
