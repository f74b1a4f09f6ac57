using System.Linq;
using ModelDsl.IO;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Tests.IO;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>Every family saves and strictly reloads its Hugging Face layout, and moves to another dtype keeping its outputs.</summary>
public sealed class FamilyRoundTripTests
{
    public static TheoryData<string> Families => new() { "llama3", "mistral", "qwen2", "qwen3", "phi3", "gemma" };

    static DecoderForCausalLM New(string family, long seed)
    {
        manual_seed(seed);
        DecoderForCausalLM model = family switch
        {
            "llama3" => new GeneratedTinyLlama3(),
            "mistral" => new GeneratedTinyMistral(),
            "qwen2" => new GeneratedTinyQwen2(),
            "qwen3" => new GeneratedTinyQwen3(),
            "phi3" => new GeneratedTinyPhi3(),
            _ => new GeneratedTinyGemma(),
        };
        // Norms and biases away from their initial values, so that loading them is visible in the logits.
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.Contains("norm") || name.EndsWith(".bias")) p.add_(randn_like(p) * 0.1);
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Save_then_strict_load_gives_identical_logits(string family)
    {
        using var dir = new TempDirectory();
        using var source = New(family, seed: 41);
        using var target = New(family, seed: 42);
        using var ids = TinyModels.Ids(61, 2, 12, seed: 5);
        using var expected = source.Forward(ids);
        Assert.False(TensorCompare.Identical(target.Forward(ids), expected));

        source.SavePretrained(dir.Path);
        target.LoadPretrained(dir.Path);

        Assert.True(TensorCompare.Identical(target.Forward(ids), expected));
        Assert.Equal(family == "llama3" ? "llama" : family, ModelConfigJson.Load(dir.File("config.json")).ModelType);
        using var loaded = PretrainedCheckpoint.FromPretrained(dir.Path);
        Assert.Equal(source.GetType().BaseType, loaded.GetType());
        Assert.True(TensorCompare.Identical(loaded.Forward(ids), expected));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void A_model_moved_to_float64_keeps_its_outputs_and_its_tie(string family)
    {
        using var model = New(family, seed: 43);
        using var ids = TinyModels.Ids(61, 2, 12, seed: 6);
        using var before = model.Forward(ids);

        model.to(ScalarType.Float64);

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        var lmHead = (Linear)model.named_modules().Single(m => m.name == "lm_head").module;
        var embed = (Embedding)model.named_modules().Single(m => m.name == "model.embed_tokens").module;
        if (lmHead.IsTied) Assert.Same(embed.weight, lmHead.weight);
        using var after = model.Forward(ids);
        Assert.True(TensorCompare.MaxAbsDifference(before, after.to_type(ScalarType.Float32)) < 1e-5);
    }

    [Fact]
    public void A_checkpoint_of_another_family_is_refused_naming_model_type()
    {
        using var dir = new TempDirectory();
        using (var qwen2 = New("qwen2", seed: 44)) qwen2.SavePretrained(dir.Path);

        var error = Assert.Throws<ModelConfigException>(() => GeneratedTinyQwen3.FromPretrained(dir.Path));

        Assert.Contains("\"qwen2\"", error.Message);
        Assert.Contains("\"qwen3\"", error.Message);
    }
}
