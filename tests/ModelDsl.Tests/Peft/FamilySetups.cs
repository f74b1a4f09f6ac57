using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;

namespace ModelDsl.Tests.Peft;

// What the generator emits for [FineTune<…>] over the GPT-2 and Llama families, written out for a 2-layer model
// (the real generated code has one line per layer of the declared size).

/// <summary>[LoRA(rank, Alpha, Targets = ["c_attn"])] over GPT-2.</summary>
internal sealed class Gpt2LoraSetup : PeftSetup<Gpt2LMHeadModel>
{
    public Gpt2LoraSetup(Gpt2LMHeadModel model, LoraSettings settings) : base(model, new LoraConfig(settings, ["c_attn"]))
    {
        for (int i = 0; i < model.Config.Layers; i++)
            AttachLora(model.transformer.h[i].attn.c_attn, $"transformer.h.{i}.attn.c_attn");
    }
}

/// <summary>[SoftPrompt(tokens)] over GPT-2.</summary>
internal sealed class Gpt2PromptSetup(Gpt2LMHeadModel model, int tokens)
    : PeftSetup<Gpt2LMHeadModel>(model, new PromptTuningConfig(tokens) { BaseLayers = model.Config.Layers, BaseAttentionHeads = model.Config.Heads });

/// <summary>[BottleneckAdapter(size, Placement = Houlsby)] over GPT-2.</summary>
internal sealed class Gpt2HoulsbySetup : PeftSetup<Gpt2LMHeadModel>
{
    public Gpt2HoulsbySetup(Gpt2LMHeadModel model, long bottleneck) : base(model, new BottleneckConfig(bottleneck, BottleneckPlacement.Houlsby))
    {
        for (int i = 0; i < model.Config.Layers; i++)
        {
            var block = model.transformer.h[i];
            AttachBottleneck($"transformer.h.{i}.attention_adapter", a => block.AttentionAdapter = a);
            AttachBottleneck($"transformer.h.{i}.mlp_adapter", a => block.MlpAdapter = a);
        }
    }
}

/// <summary>[LoRA(rank, Targets = ["q_proj", "v_proj"])] over Llama.</summary>
internal sealed class LlamaLoraSetup : PeftSetup<LlamaForCausalLM>
{
    public LlamaLoraSetup(LlamaForCausalLM model, LoraSettings settings) : base(model, new LoraConfig(settings, ["q_proj", "v_proj"]))
    {
        for (int i = 0; i < model.Config.Layers; i++)
        {
            AttachLora(model.model.layers[i].self_attn.q_proj, $"model.layers.{i}.self_attn.q_proj");
            AttachLora(model.model.layers[i].self_attn.v_proj, $"model.layers.{i}.self_attn.v_proj");
        }
    }
}
