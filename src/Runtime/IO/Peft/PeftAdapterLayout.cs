using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Peft;
using TorchSharp.Modules;

namespace ModelDsl.IO.Peft;

/// <summary>One tensor of an adapter file: its key, the shape the setup needs, and the parameter it fills.</summary>
/// <param name="Key">The safetensors key, e.g. <c>base_model.model.transformer.h.0.attn.c_attn.lora_A.weight</c>.</param>
/// <param name="Shape">The shape this setup's base needs.</param>
/// <param name="Resolve">The parameter the tensor belongs to (resolved after a new adapter is created).</param>
public sealed record AdapterTensor(string Key, long[] Shape, Func<Parameter> Resolve);

/// <summary>
/// Where each adapter tensor goes in <c>adapter_model.safetensors</c> and what goes in <c>adapter_config.json</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>LoRA (PEFT's layout): <c>base_model.model.&lt;layer&gt;.lora_A.weight</c> <c>[r, in]</c> and
/// <c>base_model.model.&lt;layer&gt;.lora_B.weight</c> <c>[out, r]</c>, adapter name not in the key.</item>
/// <item>Prompt tuning (PEFT's layout): <c>prompt_embeddings</c> <c>[num_virtual_tokens, token_dim]</c>, no prefix.</item>
/// <item>Bottleneck adapters (ModelDsl's layout): <c>base_model.model.&lt;slot&gt;.down.weight</c> <c>[b, dim]</c>,
/// <c>.down.bias</c> <c>[b]</c>, <c>.up.weight</c> <c>[dim, b]</c>, <c>.up.bias</c> <c>[dim]</c>, where &lt;slot&gt; is the
/// path the generated setup attached, e.g. <c>transformer.h.0.attention_adapter</c>.</item>
/// <item>Selective and full fine-tuning (ModelDsl's layout): <c>base_model.model.&lt;state-dict name&gt;</c> for each
/// trained base parameter, e.g. <c>base_model.model.transformer.h.0.attn.c_attn.bias</c>.</item>
/// </list>
/// </remarks>
public static class PeftAdapterLayout
{
    /// <summary>The prefix PEFT puts before base-model paths in saved keys.</summary>
    public const string KeyPrefix = "base_model.model.";

    /// <summary>The <c>peft_type</c> a setup's method is saved as.</summary>
    public static string PeftTypeOf(PeftConfig config) => config switch
    {
        LoraConfig => PeftTypes.Lora,
        PromptTuningConfig => PeftTypes.PromptTuning,
        BottleneckConfig => PeftTypes.Bottleneck,
        SelectiveConfig => PeftTypes.Selective,
        FullFineTuneConfig => PeftTypes.FullFineTune,
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.GetType().Name, "Unknown PEFT config type."),
    };

    /// <summary>The <c>adapter_config.json</c> content for adapter <paramref name="adapterName"/> of <paramref name="setup"/>.</summary>
    public static PeftAdapterConfig ConfigFor(PeftSetup setup, string adapterName)
    {
        var common = new PeftAdapterConfig { PeftType = PeftTypeOf(setup.Config), BaseModelNameOrPath = setup.Config.BaseModelNameOrPath };
        return setup.Config switch
        {
            LoraConfig lora => LoraConfigFor(setup, lora, setup.LoraSettingsByAdapter.GetValueOrDefault(adapterName, lora.Settings), common),
            PromptTuningConfig prompt => PromptConfigFor(setup, prompt, common),
            BottleneckConfig bottleneck => common with
            {
                BottleneckDim = bottleneck.Bottleneck,
                AdapterPlacement = bottleneck.Placement.ToString().ToUpperInvariant(),
                AdapterActivation = ActivationName(bottleneck.Activation),
                TokenDim = setup.EmbeddingDim,
            },
            SelectiveConfig selective => common with { Selection = selective.Selection },
            _ => common,
        };
    }

    /// <summary>
    /// The tensors adapter <paramref name="adapterName"/> has (or, if it does not exist yet, would have with
    /// <paramref name="newLoraSettings"/>), in a fixed order.
    /// </summary>
    public static IReadOnlyList<AdapterTensor> Tensors(PeftSetup setup, string adapterName, LoraSettings? newLoraSettings = null)
    {
        var result = new List<AdapterTensor>();
        switch (setup.Config)
        {
            case LoraConfig lora:
                var rank = (setup.LoraSettingsByAdapter.GetValueOrDefault(adapterName) ?? newLoraSettings ?? lora.Settings).Rank;
                foreach (var target in setup.LoraTargets)
                {
                    var layer = target.Layer;
                    result.Add(new(KeyPrefix + target.Path + ".lora_A.weight", [rank, layer.InFeatures], () => layer.LoraAdapters[adapterName].lora_A.weight));
                    result.Add(new(KeyPrefix + target.Path + ".lora_B.weight", [layer.OutFeatures, rank], () => layer.LoraAdapters[adapterName].lora_B.weight));
                }
                break;
            case PromptTuningConfig prompt:
                result.Add(new(PeftSetup.PromptParameterName, [prompt.Tokens, setup.EmbeddingDim], () => setup.Prompts[adapterName].weight));
                break;
            case BottleneckConfig bottleneck:
                long dim = setup.EmbeddingDim, b = bottleneck.Bottleneck;
                foreach (var slot in setup.BottleneckSlots)
                {
                    var s = slot;
                    var prefix = KeyPrefix + slot.Path;
                    result.Add(new(prefix + ".down.weight", [b, dim], () => s.Adapters[adapterName].down.weight));
                    result.Add(new(prefix + ".down.bias", [b], () => s.Adapters[adapterName].down.bias!));
                    result.Add(new(prefix + ".up.weight", [dim, b], () => s.Adapters[adapterName].up.weight));
                    result.Add(new(prefix + ".up.bias", [dim], () => s.Adapters[adapterName].up.bias!));
                }
                break;
            default:
                foreach (var selected in setup.SelectedParameters)
                {
                    var parameter = selected.Parameter;
                    result.Add(new(KeyPrefix + selected.Path, parameter.shape, () => parameter));
                }
                break;
        }
        return result;
    }

    /// <summary>The name an activation is saved under.</summary>
    public static string ActivationName(Activation activation) => activation switch
    {
        Activation.Relu => "relu",
        Activation.Gelu => "gelu",
        Activation.GeluTanh => "gelu_tanh",
        Activation.Silu => "silu",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    // PEFT's PromptTuningConfig refuses TEXT without tokenizer_name_or_path (and without the text): a TEXT init is written
    // as such only when the tokenizer is known; otherwise as RANDOM, which PEFT loads (the init text stays on record).
    static PeftAdapterConfig PromptConfigFor(PeftSetup setup, PromptTuningConfig prompt, PeftAdapterConfig common)
    {
        var tokenizer = prompt.TokenizerNameOrPath ?? prompt.BaseModelNameOrPath;
        var init = prompt.Init switch
        {
            PromptTuningInit.Text when tokenizer is not null && prompt.InitText is not null => "TEXT",
            PromptTuningInit.SampleVocab => "SAMPLE_VOCAB",
            _ => "RANDOM",
        };
        return common with
        {
            NumVirtualTokens = prompt.Tokens,
            TokenDim = setup.EmbeddingDim,
            NumTransformerSubmodules = 1,
            NumAttentionHeads = prompt.BaseAttentionHeads,
            NumLayers = prompt.BaseLayers,
            PromptTuningInit = init,
            PromptTuningInitText = prompt.InitText,
            TokenizerNameOrPath = init == "TEXT" ? tokenizer : null,
        };
    }

    static PeftAdapterConfig LoraConfigFor(PeftSetup setup, LoraConfig lora, LoraSettings settings, PeftAdapterConfig common) => common with
    {
        R = settings.Rank,
        LoraAlpha = settings.Alpha,
        LoraDropout = settings.Dropout,
        TargetModules = lora.TargetModules,
        FanInFanOut = setup.LoraTargets.Count > 0 && setup.LoraTargets.All(t => t.Layer.WeightIsInputMajor),
        Bias = "none",
        UseRslora = settings.UseRsLora,
        ModulesToSave = null,
    };
}
