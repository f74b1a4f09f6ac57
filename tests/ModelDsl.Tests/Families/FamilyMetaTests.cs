using System.Linq;
using ApprovalTests;
using ApprovalTests.Reporters;
using ModelDsl.IO;
using ModelDsl.Layers;
using ModelDsl.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>
/// Published models, declared (by their sizes or by [FromConfig] over their config.json): the generator's constant, the
/// runtime config's count and the model built on the meta device all equal the published parameter count, and the
/// state-dict listing is snapshotted.
/// </summary>
[UseReporter(typeof(QuietReporter))]
public sealed class FamilyMetaTests
{
    [Fact]
    public void Llama_3_2_1B_has_its_published_parameter_count()
    {
        const long published = 1_235_814_400;
        Assert.Equal(published, GeneratedLlama32_1B.ParameterCount);
        Assert.Equal(published, ConfiguredLlama32_1B.ParameterCount);
        Assert.Equal(published, GeneratedLlama32_1B.Declared.ParameterCount);
        using var model = new GeneratedLlama32_1B(META);
        Assert.Equal(published, model.CountParameters());
        // [FromConfig] read the file's llama3 scaling, head_dim and tying; the declared class and the file agree on the math.
        Assert.Equal(RotaryScaling.Llama3(32, 1, 4, 8192), ConfiguredLlama32_1B.Declared.RopeScaling);
        Assert.Empty(GeneratedLlama32_1B.Declared.DifferencesFrom(ConfiguredLlama32_1B.Declared));
    }

    [Fact]
    public void Qwen2_5_0_5B_has_its_published_parameter_count()
    {
        const long published = 494_032_768;
        Assert.Equal(published, GeneratedQwen25_05B.ParameterCount);
        Assert.Equal(published, ConfiguredQwen25_05B.ParameterCount);
        using var model = new ConfiguredQwen25_05B(META);
        Assert.Equal(published, model.CountParameters());
        Assert.Empty(GeneratedQwen25_05B.Declared.DifferencesFrom(ConfiguredQwen25_05B.Declared));
        Assert.Equal(ModelConfigJson.Load<Qwen2Config>(System.IO.Path.Combine(Fixtures.RepositoryRoot.Path, "tests", "ModelDsl.Tests", "Families", "Configs", "qwen2.5-0.5b", "config.json")), ConfiguredQwen25_05B.Declared);
    }

    [Theory]
    // The attribute defaults are these published models; their counts as printed by transformers' num_parameters().
    [InlineData("Mistral-7B-v0.1", 7_241_732_096L)]
    [InlineData("Qwen3-0.6B", 596_049_920L)]
    [InlineData("Phi-3-mini-4k", 3_821_079_552L)]
    [InlineData("Gemma-2B", 2_506_172_416L)]
    public void The_family_defaults_are_the_published_models(string name, long published)
    {
        (long constant, DecoderLanguageModel model) = name switch
        {
            "Mistral-7B-v0.1" => (GeneratedMistral7B.ParameterCount, (DecoderLanguageModel)new GeneratedMistral7B(META)),
            "Qwen3-0.6B" => (GeneratedQwen3_06B.ParameterCount, new GeneratedQwen3_06B(META)),
            "Phi-3-mini-4k" => (GeneratedPhi3Mini4k.ParameterCount, new GeneratedPhi3Mini4k(META)),
            _ => (GeneratedGemma2B.ParameterCount, new GeneratedGemma2B(META)),
        };
        using (model)
        {
            Assert.Equal(published, constant);
            Assert.Equal(published, model.CountParameters());
        }
    }

    [Fact]
    public void Llama_3_2_1B_parameter_listing()
    {
        using var model = new GeneratedLlama32_1B(META);
        Approvals.Verify(string.Join("\n", model.ListParameterShapes().Select(p => p.ToString())));
    }

    [Fact]
    public void Qwen2_5_0_5B_parameter_listing()
    {
        using var model = new ConfiguredQwen25_05B(META);
        Approvals.Verify(string.Join("\n", model.ListParameterShapes().Select(p => p.ToString())));
    }

    [Fact]
    public void Phi3_and_qwen3_listings_name_their_own_modules()
    {
        using var phi3 = new GeneratedTinyPhi3(META);
        var phiNames = phi3.ListParameterShapes().Select(p => p.ToString()).ToList();
        Assert.Contains("model.layers.0.self_attn.qkv_proj.weight [96, 32]", phiNames);   // (4 + 2·4) heads of 8
        Assert.Contains("model.layers.0.mlp.gate_up_proj.weight [96, 32]", phiNames);
        Assert.Contains("lm_head.weight [61, 32]", phiNames);
        using var qwen3 = new GeneratedTinyQwen3(META);
        var qwenNames = qwen3.ListParameterShapes().Select(p => p.ToString()).ToList();
        Assert.Contains("model.layers.1.self_attn.q_norm.weight [16]", qwenNames);
        Assert.Contains("model.layers.1.self_attn.q_proj.weight [64, 32]", qwenNames);
        Assert.DoesNotContain(qwenNames, n => n.StartsWith("lm_head"));
    }
}
