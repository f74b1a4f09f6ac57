using ModelDsl.IO;
using System.IO;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Tests.IO;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

public class GeneratedFamilyTests
{
    [Fact]
    public void Gpt2SmallConstantMatchesThePublishedCountAndTheMetaBuild()
    {
        Assert.Equal(124_439_808L, GeneratedGpt2Small.ParameterCount);
        using var model = new GeneratedGpt2Small(torch.META);
        Assert.Equal(GeneratedGpt2Small.ParameterCount, model.CountParameters());
    }

    [Fact]
    public void Llama2_7BConstantMatchesThePublishedCountAndTheMetaBuild()
    {
        Assert.Equal(6_738_415_616L, GeneratedLlama2_7B.ParameterCount);
        using var model = new GeneratedLlama2_7B(torch.META);
        Assert.Equal(GeneratedLlama2_7B.ParameterCount, model.CountParameters());
    }

    [Fact]
    public void DeclaredSizesBecomeTheRuntimeConfig()
    {
        Assert.Equal(new Gpt2Config(2, 32, 4, 97, 24), GeneratedTinyGpt2.Declared);
        Assert.Equal(new LlamaConfig(2, 32, 4, 2, 64, 97, 24, RopeTheta: 500000), GeneratedTinyLlama.Declared);
        using var model = new GeneratedTinyLlama();
        Assert.Equal(GeneratedTinyLlama.Declared, model.Config);
    }

    [Fact]
    public void FromPretrainedRoundTripsGeneratedModels()
    {
        manual_seed(5);
        using var directory = new TempDirectory();
        using var ids = randint(0, 97, [2, 9]);

        using var gpt2 = new GeneratedTinyGpt2();
        gpt2.SavePretrained(Path.Combine(directory.Path, "gpt2"));
        using var gpt2Loaded = GeneratedTinyGpt2.FromPretrained(Path.Combine(directory.Path, "gpt2"));
        using var gpt2Expected = gpt2.Forward(ids);
        using var gpt2Actual = gpt2Loaded.Forward(ids);
        Assert.True(gpt2Expected.allclose(gpt2Actual, rtol: 0, atol: 0));

        using var llama = new GeneratedTinyLlama();
        llama.SavePretrained(Path.Combine(directory.Path, "llama"));
        using var llamaLoaded = GeneratedTinyLlama.FromPretrained(Path.Combine(directory.Path, "llama"));
        using var llamaExpected = llama.Forward(ids);
        using var llamaActual = llamaLoaded.Forward(ids);
        Assert.True(llamaExpected.allclose(llamaActual, rtol: 0, atol: 0));
    }

    [Fact]
    public void FromPretrainedRejectsACheckpointOfOtherSizes()
    {
        using var directory = new TempDirectory();
        using (var other = new GeneratedTinyGpt2()) other.SavePretrained(directory.Path);

        var error = Assert.ThrowsAny<System.Exception>(() => GeneratedTinyLlama.FromPretrained(directory.Path));
        Assert.Contains("config.json", error.Message);
    }
}
