using ModelDsl.Layers;
using ModelDsl.Layers.Quantization;
using ModelDsl.Models;
using ModelDsl.Peft;

namespace ModelDsl.Benchmarks;

/// <summary>What the generator emits for <c>[LoRA(8, Alpha = 16, Targets = ["attn.c_attn", "attn.c_proj"])]</c>, written out.</summary>
internal sealed class BenchLoraSetup : PeftSetup<Gpt2LMHeadModel>
{
    public BenchLoraSetup(Gpt2LMHeadModel model)
        : base(model, new LoraConfig(new LoraSettings(BenchShapes.LoraRank, alpha: 16), ["attn.c_attn", "attn.c_proj"]))
    {
        for (int i = 0; i < model.Config.Layers; i++)
        {
            AttachLora(model.transformer.h[i].attn.c_attn, $"transformer.h.{i}.attn.c_attn");
            AttachLora(model.transformer.h[i].attn.c_proj, $"transformer.h.{i}.attn.c_proj");
        }
    }
}

/// <summary>What the generator emits for <see cref="BenchLoraSetup"/>'s LoRA with <c>[Quantize(Bits = 4)]</c> (NF4, blocks of 64, double quantization).</summary>
internal sealed class BenchQloraSetup : PeftSetup<Gpt2LMHeadModel>
{
    public BenchQloraSetup(Gpt2LMHeadModel model)
        : base(model, new LoraConfig(new LoraSettings(BenchShapes.LoraRank, alpha: 16), ["attn.c_attn", "attn.c_proj"]))
    {
        var nf4 = new QuantizationSettings(4, 64, true);
        for (int i = 0; i < model.Config.Layers; i++)
        {
            var block = model.transformer.h[i];
            QuantizeBase(block.attn.c_attn, $"transformer.h.{i}.attn.c_attn", nf4);
            QuantizeBase(block.attn.c_proj, $"transformer.h.{i}.attn.c_proj", nf4);
            QuantizeBase(block.mlp.c_fc, $"transformer.h.{i}.mlp.c_fc", nf4);
            QuantizeBase(block.mlp.c_proj, $"transformer.h.{i}.mlp.c_proj", nf4);
        }
        for (int i = 0; i < model.Config.Layers; i++)
        {
            AttachLora(model.transformer.h[i].attn.c_attn, $"transformer.h.{i}.attn.c_attn");
            AttachLora(model.transformer.h[i].attn.c_proj, $"transformer.h.{i}.attn.c_proj");
        }
    }
}

/// <summary>What the generator emits for <c>[SoftPrompt(20)]</c>.</summary>
internal sealed class BenchPromptSetup(Gpt2LMHeadModel model)
    : PeftSetup<Gpt2LMHeadModel>(model, new PromptTuningConfig(BenchShapes.PromptTokens) { BaseLayers = model.Config.Layers, BaseAttentionHeads = model.Config.Heads });

/// <summary>Full fine-tuning: every base parameter trains.</summary>
internal sealed class BenchFullSetup(Gpt2LMHeadModel model) : PeftSetup<Gpt2LMHeadModel>(model, new FullFineTuneConfig());
