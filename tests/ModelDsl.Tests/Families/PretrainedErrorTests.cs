using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Tests.IO;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>LoadPretrained refuses files that do not fit, says why, and leaves the model untouched.</summary>
public sealed class PretrainedErrorTests
{
    // Saves a tiny GPT-2, then lets the test rewrite its weights file.
    static TempDirectory SavedGpt2(System.Func<List<KeyValuePair<string, Tensor>>, List<KeyValuePair<string, Tensor>>>? edit = null)
    {
        var dir = new TempDirectory();
        using var model = TinyModels.NewGpt2(seed: 1);
        model.SavePretrained(dir.Path);
        if (edit is not null)
            SafetensorsFile.Write(dir.File("model.safetensors"), edit(model.state_dict().ToList()));
        return dir;
    }

    static T LoadFails<T>(string directory) where T : System.Exception
    {
        using var model = TinyModels.NewGpt2(seed: 2);
        using var before = model.transformer.wte.weight.clone();
        var error = Assert.Throws<T>(() => model.LoadPretrained(directory));
        Assert.True(TensorCompare.Identical(before, model.transformer.wte.weight), "a failed load changed the model");
        return error;
    }

    [Fact]
    public void A_config_json_not_saved_with_the_weights_is_refused()
    {
        // A re-save with another epsilon, cut off after config.json: the sizes still match, the weights are the old ones.
        using var dir = SavedGpt2();
        var resaved = TinyModels.Gpt2 with { NormEps = 1e-6 };
        File.WriteAllText(dir.File("config.json"), resaved.ToJson());

        using var model = TinyModels.NewGpt2(seed: 2, resaved);
        using var before = model.transformer.wte.weight.clone();
        var error = Assert.Throws<CheckpointMismatchException>(() => model.LoadPretrained(dir.Path));
        Assert.Contains("is not the config saved with", error.Message);
        Assert.Contains("save the model again", error.Message);
        Assert.True(TensorCompare.Identical(before, model.transformer.wte.weight), "a failed load changed the model");
    }

    [Fact]
    public void Missing_key_is_listed_as_missing()
    {
        using var dir = SavedGpt2(t => t.Where(kv => kv.Key != "transformer.h.1.mlp.c_fc.bias").ToList());
        var error = LoadFails<CheckpointMismatchException>(dir.Path);
        Assert.Contains("missing keys (the model has them, the files do not): transformer.h.1.mlp.c_fc.bias", error.Message);
        Assert.DoesNotContain("unexpected", error.Message);
    }

    [Fact]
    public void Unexpected_key_is_listed_as_unexpected()
    {
        using var dir = SavedGpt2(t => [.. t, new("transformer.h.0.attn.q_norm.weight", ones(8))]);
        var error = LoadFails<CheckpointMismatchException>(dir.Path);
        Assert.Contains("unexpected keys (in the files, not in the model): transformer.h.0.attn.q_norm.weight", error.Message);
        Assert.DoesNotContain("missing", error.Message);
    }

    [Fact]
    public void Missing_and_unexpected_keys_are_reported_together_and_separately()
    {
        using var dir = SavedGpt2(t => t.Select(kv => kv.Key == "transformer.ln_f.bias"
            ? new KeyValuePair<string, Tensor>("transformer.ln_final.bias", kv.Value) : kv).ToList());
        var error = LoadFails<CheckpointMismatchException>(dir.Path);
        Assert.Matches("missing keys .*transformer\\.ln_f\\.bias; unexpected keys .*transformer\\.ln_final\\.bias", error.Message);
    }

    [Fact]
    public void Shape_mismatch_names_the_tensor_and_both_shapes()
    {
        using var dir = SavedGpt2(t => t.Select(kv => kv.Key == "transformer.h.0.attn.c_attn.weight"
            ? new KeyValuePair<string, Tensor>(kv.Key, zeros(96, 32)) : kv).ToList());
        var error = LoadFails<CheckpointMismatchException>(dir.Path);
        Assert.Contains("'transformer.h.0.attn.c_attn.weight' has shape [96, 32] in the file but the model's", error.Message);
        Assert.Contains("is [32, 96]", error.Message);
    }

    [Fact]
    public void Integer_weights_are_refused()
    {
        using var dir = SavedGpt2(t => t.Select(kv => kv.Key == "transformer.ln_f.weight"
            ? new KeyValuePair<string, Tensor>(kv.Key, ones(32, dtype: ScalarType.Int32)) : kv).ToList());
        var error = LoadFails<CheckpointMismatchException>(dir.Path);
        Assert.Contains("'transformer.ln_f.weight' is stored as Int32", error.Message);
    }

    [Fact]
    public void Different_config_names_each_differing_field_with_both_values()
    {
        using var dir = new TempDirectory();
        using var bigger = TinyModels.NewGpt2(seed: 1, TinyModels.Gpt2 with { Layers = 3, Context = 24 });
        bigger.SavePretrained(dir.Path);
        var error = LoadFails<ModelConfigException>(dir.Path);
        Assert.Contains("n_layer: the model has 2, the file has 3", error.Message);
        Assert.Contains("n_positions: the model has 16, the file has 24", error.Message);
        Assert.DoesNotContain("n_embd", error.Message);
    }

    [Fact]
    public void Wrong_sizes_in_config_json_are_named()
    {
        using var dir = SavedGpt2();
        File.WriteAllText(dir.File("config.json"), """{"n_layer":2,"n_embd":-32,"n_head":4,"vocab_size":50,"n_positions":16}""");
        var error = LoadFails<ModelConfigException>(dir.Path);
        Assert.Contains("\"n_embd\" is -32", error.Message);
        Assert.Contains(dir.File("config.json"), error.Message);
    }

    [Fact]
    public void Missing_weights_file_names_the_path_and_what_was_expected()
    {
        using var dir = SavedGpt2();
        File.Delete(dir.File("model.safetensors"));
        var error = LoadFails<FileNotFoundException>(dir.Path);
        Assert.Contains(dir.File("model.safetensors"), error.Message);
        Assert.Contains("model.safetensors.index.json", error.Message);
    }

    [Fact]
    public void Missing_config_names_the_path()
    {
        using var dir = SavedGpt2();
        File.Delete(dir.File("config.json"));
        var error = LoadFails<FileNotFoundException>(dir.Path);
        Assert.Contains(dir.File("config.json"), error.Message);
    }

    [Fact]
    public void Missing_shard_named_by_the_index_is_reported()
    {
        using var dir = SavedGpt2();
        File.Delete(dir.File("model.safetensors"));
        File.WriteAllText(dir.File("model.safetensors.index.json"), """{"weight_map":{"transformer.wte.weight":"model-00001-of-00002.safetensors"}}""");
        var error = LoadFails<FileNotFoundException>(dir.Path);
        Assert.Contains("model-00001-of-00002.safetensors", error.Message);
    }

    [Fact]
    public void Shard_outside_the_directory_is_refused()
    {
        using var dir = SavedGpt2();
        File.Move(dir.File("model.safetensors"), dir.File("weights.bin"));
        File.WriteAllText(dir.File("model.safetensors.index.json"), """{"weight_map":{"transformer.wte.weight":"../weights.bin"}}""");
        var error = LoadFails<ModelConfigException>(dir.Path);
        Assert.Contains("shards must be file names in the same directory", error.Message);
    }

    [Fact]
    public void Tied_head_stored_with_different_values_is_refused()
    {
        using var dir = SavedGpt2(t => [.. t, new("lm_head.weight", zeros(50, 32))]);
        var error = LoadFails<CheckpointMismatchException>(dir.Path);
        Assert.Contains("'lm_head.weight', which this model ties to 'transformer.wte.weight', but the two differ", error.Message);
    }
}
