using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Models;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Mutated <c>config.json</c> (GPT-2 and Llama) and <c>adapter_config.json</c> text: the readers either return a
/// configuration that passed validation or throw their own exception type, never a leaked library exception.
/// </summary>
public sealed class ConfigFuzzTests(ITestOutputHelper output)
{
    const int Cases = 2000;

    [Fact]
    public void Gpt2_config_json_is_read_or_refused_with_a_ModelConfigException() =>
        JsonFuzzRunner.Run<ModelConfigException>(output, "GPT-2 config.json",
            new Gpt2Config(Layers: 2, Dim: 32, Heads: 4, Vocab: 50, Context: 16).ToJson(), Cases,
            json =>
            {
                var config = ModelConfigJson.Parse<Gpt2Config>(json);
                // What was accepted is buildable: sizes fit together and stay under the 1 TB limit.
                Assert.True(config.Dim % config.Heads == 0 && config.ParameterCount * 4.0 <= 1e12, $"accepted an invalid {config}");
            });

    [Fact]
    public void Llama_config_json_is_read_or_refused_with_a_ModelConfigException() =>
        JsonFuzzRunner.Run<ModelConfigException>(output, "Llama config.json",
            new LlamaConfig(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 48, Vocab: 50, Context: 16).ToJson(), Cases,
            json =>
            {
                var config = ModelConfigJson.Parse<LlamaConfig>(json);
                Assert.True(config.Heads % config.KvHeads == 0 && config.ParameterCount * 4.0 <= 1e12, $"accepted an invalid {config}");
            });

    [Theory]
    [InlineData("qwen2")]
    [InlineData("gemma")]
    [InlineData("phi3")]
    public void Every_family_config_json_is_read_or_refused_with_a_ModelConfigException(string family) =>
        JsonFuzzRunner.Run<ModelConfigException>(output, family + " config.json",
            (family switch
            {
                "qwen2" => (ModelConfig)new Qwen2Config(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 48, Vocab: 50, Context: 16, SlidingWindow: 8, MaxWindowLayers: 1),
                "gemma" => new GemmaConfig(Layers: 2, Dim: 32, Heads: 4, KvHeads: 1, Ffn: 48, Vocab: 50, Context: 16, HeadDim: 16),
                _ => new Phi3Config(Layers: 2, Dim: 32, Heads: 4, KvHeads: 4, Ffn: 48, Vocab: 50, Context: 16, SlidingWindow: 8,
                    RopeScaling: ModelDsl.Layers.RotaryScaling.Llama3(8, 1, 4, 8)),
            }).ToJson(), Cases / 2,
            json =>
            {
                var config = ModelConfigJson.Parse(json);
                // What was accepted validates and stays under the 1 TB limit.
                config.Validate();
                Assert.True(config.ParameterCount * 4.0 <= 1e12, $"accepted an invalid {config}");
            });

    [Fact]
    public void Adapter_config_json_is_read_or_refused_with_an_AdapterFormatException() =>
        JsonFuzzRunner.Run<AdapterFormatException>(output, "adapter_config.json",
            PeftAdapterConfigJson.Write(new PeftAdapterConfig
            {
                PeftType = PeftTypes.Lora, R = 8, LoraAlpha = 16, LoraDropout = 0.05, TargetModules = ["c_attn", "c_proj"],
                FanInFanOut = true, Bias = "none", UseRslora = false, BaseModelNameOrPath = "tiny",
            }), Cases,
            json => Assert.NotNull(PeftAdapterConfigJson.Parse(json, "adapter_config.json").PeftType));
}
