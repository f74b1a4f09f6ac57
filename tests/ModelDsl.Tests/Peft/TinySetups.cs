using System.Collections.Generic;
using ModelDsl.Layers;
using ModelDsl.Peft;
using TorchSharp.Modules;

namespace ModelDsl.Tests.Peft;

// Hand-written equivalents of what the generator emits for each method over TinyLm.

internal sealed class TinyLoraSetup : PeftSetup<TinyLm>
{
    public TinyLoraSetup(TinyLm model, LoraSettings settings, bool includeConv1D = false)
        : base(model, new LoraConfig(settings, includeConv1D ? ["c_attn", "c_head"] : ["c_attn"]))
    {
        AttachLora(model.h[0].attn.c_attn, "h.0.attn.c_attn");
        AttachLora(model.h[1].attn.c_attn, "h.1.attn.c_attn");
        if (includeConv1D) AttachLora(model.c_head, "c_head");
    }
}

internal sealed class TinyPromptSetup(TinyLm model, PromptTuningConfig config) : PeftSetup<TinyLm>(model, config);

internal sealed class TinyBottleneckSetup : PeftSetup<TinyLm>
{
    public TinyBottleneckSetup(TinyLm model, BottleneckConfig config) : base(model, config)
    {
        for (int i = 0; i < model.h.Count; i++)
        {
            var block = model.h[i];
            if (config.Placement == BottleneckPlacement.Houlsby)
                AttachBottleneck($"h.{i}.attention_adapter", a => block.AttentionAdapter = a);
            AttachBottleneck($"h.{i}.mlp_adapter", a => block.MlpAdapter = a);
        }
    }
}

internal sealed class TinyBitFitSetup : PeftSetup<TinyLm>
{
    public TinyBitFitSetup(TinyLm model) : base(model, new SelectiveConfig("bitfit"))
    {
        foreach (var (name, parameter) in Biases(model)) Train(parameter, name);
    }

    // The generator lists these statically; the test model enumerates them.
    static IEnumerable<(string Name, Parameter Parameter)> Biases(TinyLm model)
    {
        for (int i = 0; i < model.h.Count; i++)
        {
            var block = model.h[i];
            yield return ($"h.{i}.attn.c_attn.bias", block.attn.c_attn.bias!);
            yield return ($"h.{i}.attn.c_proj.bias", block.attn.c_proj.bias!);
            yield return ($"h.{i}.mlp.c_fc.bias", block.mlp.c_fc.bias!);
            yield return ($"h.{i}.mlp.c_proj.bias", block.mlp.c_proj.bias!);
        }
        yield return ("c_head.bias", model.c_head.bias!);
    }
}

internal sealed class TinyFullSetup(TinyLm model) : PeftSetup<TinyLm>(model, new FullFineTuneConfig());
