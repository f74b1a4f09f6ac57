using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.IO;
using TorchSharp;
using Xunit;
using static ModelDsl.Tests.Peft.PeftTestHelpers;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

/// <summary>PEFT over every family: LoRA with PEFT's default targets, saved in PEFT's key layout and reloaded bit for bit; merging; the additive and selective methods.</summary>
public sealed class NewFamilyPeftTests
{
    public static TheoryData<string> Families => new() { "llama3", "mistral", "qwen2", "qwen3", "phi3", "gemma" };

    static (PeftSetup Setup, DecoderLanguageModel Model, long Constant, string[] Targets) NewLora(string family, long seed)
    {
        manual_seed(seed);
        return family switch
        {
            "llama3" => Wrap(new GeneratedTinyLlama3(), m => new TinyLlama3Lora(m), TinyLlama3Lora.TrainableParameterCount, "q_proj", "v_proj"),
            "mistral" => Wrap(new GeneratedTinyMistral(), m => new TinyMistralLora(m), TinyMistralLora.TrainableParameterCount, "q_proj", "v_proj"),
            "qwen2" => Wrap(new GeneratedTinyQwen2(), m => new TinyQwen2Lora(m), TinyQwen2Lora.TrainableParameterCount, "q_proj", "v_proj"),
            "qwen3" => Wrap(new GeneratedTinyQwen3(), m => new TinyQwen3Lora(m), TinyQwen3Lora.TrainableParameterCount, "q_proj", "v_proj"),
            "phi3" => Wrap(new GeneratedTinyPhi3(), m => new TinyPhi3Lora(m), TinyPhi3Lora.TrainableParameterCount, "qkv_proj"),
            _ => Wrap(new GeneratedTinyGemma(), m => new TinyGemmaLora(m), TinyGemmaLora.TrainableParameterCount, "q_proj", "v_proj"),
        };

        static (PeftSetup, DecoderLanguageModel, long, string[]) Wrap<TModel>(TModel model, Func<TModel, PeftSetup> setup, long constant, params string[] targets)
            where TModel : DecoderLanguageModel => (setup(model), model, constant, targets);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Lora_with_the_family_defaults_saves_PEFTs_keys_reloads_bit_exactly_and_merges(string family)
    {
        using var dir = new TempDirectory();
        using var ids = TinyModels.Ids(61, 2, 10, seed: 3);
        var (setup, model, constant, targets) = NewLora(family, seed: 31);
        using var _ = setup;
        setup.eval();
        using var before = model.Forward(ids);
        using (var fresh = setup.Forward(ids)) AssertBitIdentical(before, fresh);   // B starts at zero: a no-op
        Assert.Equal(constant, setup.CountTrainableParameters());
        Assert.Equal(2 * targets.Length, setup.LoraTargets.Count);

        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        using var adapted = setup.Forward(ids);
        Assert.True(TensorCompare.MaxAbsDifference(adapted, before) > 1e-4, "the randomised adapter does not change the logits");

        setup.SaveAdapter(dir.Path);
        using (var content = SafetensorsFile.Read(Path.Combine(dir.Path, PeftAdapterFiles.WeightsFileName)))
        {
            var keys = content.Tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
            var expected = Enumerable.Range(0, 2).SelectMany(i => targets.SelectMany(t => new[]
            {
                $"base_model.model.model.layers.{i}.{(t.EndsWith("qkv_proj") || t is "q_proj" or "v_proj" ? "self_attn" : "mlp")}.{t}.lora_A.weight",
                $"base_model.model.model.layers.{i}.{(t.EndsWith("qkv_proj") || t is "q_proj" or "v_proj" ? "self_attn" : "mlp")}.{t}.lora_B.weight",
            })).OrderBy(k => k, StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, keys);
        }
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, PeftAdapterFiles.ConfigFileName))))
        {
            Assert.Equal(targets, json.RootElement.GetProperty("target_modules").EnumerateArray().Select(t => t.GetString()).ToArray());
            Assert.False(json.RootElement.GetProperty("fan_in_fan_out").GetBoolean());
        }

        var (loaded, _, _, _) = NewLora(family, seed: 31);
        using (loaded)
        {
            loaded.LoadAdapter(dir.Path);
            loaded.eval();
            using var reloaded = loaded.Forward(ids);
            AssertBitIdentical(adapted, reloaded);
        }

        setup.Merge();
        using var merged = setup.Forward(ids);
        AssertClose(adapted, merged, 1e-5);
        setup.Unmerge();
        using var unmerged = setup.Forward(ids);
        AssertClose(adapted, unmerged, 1e-5);
    }

    [Fact]
    public void Gemmas_soft_prompt_is_scaled_with_the_embeddings_as_inputs_embeds_are()
    {
        manual_seed(32);
        var model = new GeneratedTinyGemma();
        using var setup = new TinyGemmaPrompt(model);
        setup.eval();
        Assert.Equal(TinyGemmaPrompt.TrainableParameterCount, setup.CountTrainableParameters());
        Assert.Equal(3L * 32, TinyGemmaPrompt.TrainableParameterCount);
        using var ids = TinyModels.Ids(61, 2, 6, seed: 4);
        using var logits = setup.Forward(ids);
        // PEFT passes [prompt; embed(ids)] as inputs_embeds, and GemmaModel scales inputs_embeds by √hidden: so does the base here.
        using var joined = cat([setup.ActivePrompt!.weight.detach().unsqueeze(0).expand(2, 3, 32), model.EmbedTokens(ids)], 1);
        using var full = model.ForwardEmbeddings(joined);
        AssertClose(full[.., 3..], logits, 1e-6);
    }

    [Fact]
    public void Bottleneck_adapters_on_phi3_start_as_a_no_op()
    {
        manual_seed(33);
        var model = new GeneratedTinyPhi3();
        using var ids = TinyModels.Ids(61, 2, 6, seed: 5);
        model.eval();
        using var before = model.Forward(ids);
        using var setup = new TinyPhi3Adapters(model);
        setup.eval();
        AssertBitIdentical(before, setup.Forward(ids));
        Assert.Equal(TinyPhi3Adapters.TrainableParameterCount, setup.CountTrainableParameters());
        Assert.Equal(PeftParameterCounts.Bottleneck(32, 4, 2 * 2), setup.CountTrainableParameters());
        Assert.Contains("bottleneck_adapters.model_layers_1_mlp_adapter.down.weight", setup.state_dict().Keys);
    }

    [Fact]
    public void BitFit_on_qwen2_trains_the_query_key_value_biases_and_selective_trains_qwen3s_head_norms()
    {
        using var bitFit = new TinyQwen2BitFit(new GeneratedTinyQwen2());
        // q, k and v biases per layer: 4·8 + 2·(2·8) = 64, two layers.
        Assert.Equal(128L, TinyQwen2BitFit.TrainableParameterCount);
        Assert.Equal(128L, bitFit.CountTrainableParameters());
        Assert.All(bitFit.SelectedParameters, p => Assert.EndsWith(".bias", p.Path));

        using var norms = new TinyQwen3Norms(new GeneratedTinyQwen3());
        Assert.Equal(2L * 2 * 16, TinyQwen3Norms.TrainableParameterCount);
        Assert.Equal(TinyQwen3Norms.TrainableParameterCount, norms.CountTrainableParameters());
    }
}
