using System.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Tests.IO;
using ModelDsl.Tests.Peft;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using ModelDsl.Peft;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// <c>LoadAdapter</c> end to end with a mutated <c>adapter_config.json</c> next to valid weights: the config's
/// values reach the LoRA settings and the tensor layout, and every refusal must still be an
/// <see cref="AdapterFormatException"/>. Fewer cases than the parser fuzz: each one reads the weights.
/// </summary>
public sealed class AdapterLoadFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void A_mutated_adapter_config_loads_or_is_refused_with_an_AdapterFormatException()
    {
        using var dir = new TempDirectory();
        manual_seed(64);
        using var setup = new TinyLoraSetup(new Peft.TinyLm(), new LoraSettings(2, 4, dropout: 0.1));
        setup.SaveAdapter(dir.Path);
        var configPath = dir.File(PeftAdapterFiles.ConfigFileName);
        var valid = File.ReadAllText(configPath);
        var loads = 0;
        JsonFuzzRunner.Run<AdapterFormatException>(output, "LoadAdapter", valid, normalCases: 400,
            json =>
            {
                File.WriteAllText(configPath, json);
                var name = $"fuzz{loads++}";
                setup.LoadAdapter(dir.Path, name);
                Assert.Contains(name, setup.AdapterNames);
                var rank = setup.LoraSettingsByAdapter[name].Rank;
                Assert.Equal(2, rank); // only the rank of the stored tensors can load
            },
            checkAllocation: false);
    }
}
