using System;
using System.IO;
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
/// There is no pickle loader and no switch to enable one: PyTorch's <c>.bin</c>/<c>.pt</c> files are refused by
/// name, with what to do instead, and a directory that also has safetensors weights never opens them.
/// </summary>
public sealed class PickleRefusalTests
{
    // The start of a real torch.save archive would do as well; it is never parsed.
    static readonly byte[] PickleBytes = [0x80, 0x02, .. Encoding.ASCII.GetBytes("ctorch._utils\n_rebuild_tensor_v2\n")];

    [Theory]
    [InlineData("pytorch_model.bin", false)]
    [InlineData("pytorch_model.bin", true)]
    [InlineData("model.pt", true)]
    public void A_directory_with_only_pickle_weights_is_refused_naming_the_file(string pickleName, bool withConfig)
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File(pickleName), PickleBytes);
        if (withConfig) File.WriteAllText(dir.File("config.json"), TinyModels.Gpt2.ToJson());
        using var model = TinyModels.NewGpt2(seed: 3);
        using var before = model.transformer.wte.weight.clone();

        var error = Assert.Throws<NotSupportedException>(() => model.LoadPretrained(dir.Path));

        Assert.Contains(dir.File(pickleName), error.Message);
        Assert.Contains("never loads pickle", error.Message);
        Assert.Contains("Convert the weights to safetensors", error.Message);
        Assert.True(TensorCompare.Identical(before, model.transformer.wte.weight), "a refused load changed the model");
    }

    [Fact]
    public void Pickle_weights_next_to_safetensors_weights_are_ignored_not_opened()
    {
        using var dir = new TempDirectory();
        using (var saved = TinyModels.NewGpt2(seed: 4)) saved.SavePretrained(dir.Path);
        File.WriteAllBytes(dir.File("pytorch_model.bin"), PickleBytes);
        using var reference = TinyModels.NewGpt2(seed: 4);
        using var model = TinyModels.NewGpt2(seed: 5);

        model.LoadPretrained(dir.Path);

        Assert.True(TensorCompare.Identical(reference.transformer.wte.weight, model.transformer.wte.weight));
    }

    [Fact]
    public void An_adapter_saved_only_as_adapter_model_bin_is_refused_naming_the_file()
    {
        using var dir = new TempDirectory();
        manual_seed(60);
        using var setup = new TinyLoraSetup(new Peft.TinyLm(), new LoraSettings(2, 4));
        setup.SaveAdapter(dir.Path);
        File.Delete(dir.File(PeftAdapterFiles.WeightsFileName));
        File.WriteAllBytes(dir.File("adapter_model.bin"), PickleBytes);

        var error = Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(dir.Path, "from-pickle"));

        Assert.Equal(dir.File("adapter_model.bin"), error.Path);
        Assert.Contains("never loads pickle", error.Message);
        Assert.Contains("convert it to adapter_model.safetensors", error.Message);
        Assert.DoesNotContain("from-pickle", setup.AdapterNames);
    }
}
