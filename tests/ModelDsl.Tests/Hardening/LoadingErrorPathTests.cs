using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Peft;
using Xunit;
using static TorchSharp.torch;
using ModelDsl.Peft;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// The documented loading errors that Families/PretrainedErrorTests and Peft/AdapterFileTests do not cover yet:
/// weights that are not safetensors at all, a Llama directory without config.json, and adapter directories without
/// a config, with integer weights, without a weights file or with one that is not safetensors. Each names the file and the problem.
/// </summary>
public sealed class LoadingErrorPathTests
{
    static readonly byte[] ZipArchive = Encoding.ASCII.GetBytes("PK\u0003\u0004\u0014\u0000archive/data.pkl");

    [Fact]
    public void Model_weights_that_are_not_safetensors_at_all_are_refused_naming_the_file()
    {
        using var dir = new TempDirectory();
        using (var saved = TinyModels.NewGpt2(seed: 1)) saved.SavePretrained(dir.Path);
        File.WriteAllBytes(dir.File("model.safetensors"), ZipArchive);
        using var model = TinyModels.NewGpt2(seed: 2);
        using var before = model.transformer.wte.weight.clone();

        var error = Assert.Throws<SafetensorsFormatException>(() => model.LoadPretrained(dir.Path));

        Assert.Equal(dir.File("model.safetensors"), error.FilePath);
        Assert.Contains("header length", error.Message); // "PK\3\4…" read as a length is absurd
        Assert.True(TensorCompare.Identical(before, model.transformer.wte.weight), "a refused load changed the model");
    }

    [Fact]
    public void A_llama_directory_without_config_json_names_the_missing_file()
    {
        using var dir = new TempDirectory();
        using (var saved = TinyModels.NewLlama(seed: 1)) saved.SavePretrained(dir.Path);
        File.Delete(dir.File("config.json"));
        using var model = TinyModels.NewLlama(seed: 2);

        var error = Assert.Throws<FileNotFoundException>(() => model.LoadPretrained(dir.Path));

        Assert.Contains(dir.File("config.json"), error.Message);
        Assert.Contains("expected the config.json", error.Message);
    }

    [Fact]
    public void Adapter_weights_stored_as_integers_are_refused_naming_the_tensor_and_dtype()
    {
        using var dir = new TempDirectory();
        using var setup = NewSetup(61);
        setup.SaveAdapter(dir.Path);
        var path = dir.File(PeftAdapterFiles.WeightsFileName);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        using (var content = SafetensorsFile.Read(path))
            foreach (var (key, value) in content.Tensors)
                tensors.Add(new(key, value.to(ScalarType.Int64)));
        SafetensorsFile.Write(path, tensors);
        var first = tensors[0].Key;

        var error = Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(dir.Path, "ints"));

        Assert.Equal(path, error.Path);
        Assert.Contains($"tensor '{first}' is stored as Int64", error.Message);
        Assert.Contains("must be floating point", error.Message);
        Assert.DoesNotContain("ints", setup.AdapterNames);
        foreach (var (_, tensor) in tensors) tensor.Dispose();
    }

    [Fact]
    public void A_missing_adapter_weights_file_is_an_adapter_error_naming_what_is_expected()
    {
        using var dir = new TempDirectory();
        using var setup = NewSetup(62);
        setup.SaveAdapter(dir.Path);
        File.Delete(dir.File(PeftAdapterFiles.WeightsFileName));

        var error = Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(dir.Path, "none"));

        Assert.Equal(dir.Path, error.Path);
        Assert.Contains("no adapter_model.safetensors", error.Message);
    }

    [Fact]
    public void An_adapter_directory_without_adapter_config_json_says_what_it_must_hold()
    {
        using var dir = new TempDirectory();
        using var setup = NewSetup(65);
        setup.SaveAdapter(dir.Path);
        File.Delete(dir.File(PeftAdapterFiles.ConfigFileName));

        var error = Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(dir.Path, "no-config"));

        Assert.Equal(dir.Path, error.Path);
        Assert.Contains("no adapter_config.json; an adapter directory holds adapter_config.json and adapter_model.safetensors", error.Message);
        Assert.DoesNotContain("no-config", setup.AdapterNames);
    }

    [Fact]
    public void Adapter_weights_that_are_not_safetensors_at_all_are_refused_naming_the_file()
    {
        using var dir = new TempDirectory();
        using var setup = NewSetup(63);
        setup.SaveAdapter(dir.Path);
        File.WriteAllBytes(dir.File(PeftAdapterFiles.WeightsFileName), ZipArchive);

        var error = Assert.Throws<SafetensorsFormatException>(() => setup.LoadAdapter(dir.Path, "zip"));

        Assert.Equal(dir.File(PeftAdapterFiles.WeightsFileName), error.FilePath);
        Assert.DoesNotContain("zip", setup.AdapterNames);
    }

    static TinyLoraSetup NewSetup(int seed)
    {
        manual_seed(seed);
        return new TinyLoraSetup(new Peft.TinyLm(), new LoraSettings(2, 4));
    }
}
