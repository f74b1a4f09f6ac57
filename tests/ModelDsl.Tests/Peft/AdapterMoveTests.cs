using System;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Peft;
using TorchSharp;
using ModelDsl.Tests.Families;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

/// <summary>
/// Moving a setup moves every adapter, the inactive ones too. A dtype move goes through the same module walk as a
/// device move, so it stands in for <c>setup.to(CUDA)</c> on a machine without a GPU.
/// </summary>
public sealed class AdapterMoveTests
{
    [Theory]
    [InlineData("lora")]
    [InlineData("prompt")]
    [InlineData("bottleneck")]
    public void An_inactive_adapter_moves_with_the_setup_and_runs_after_switching(string method)
    {
        using var setup = NewSetup(method);
        setup.AddAdapter("second");
        setup.to(ScalarType.Float64);
        setup.UseAdapter("second");
        setup.eval();

        Assert.All(AllAdapterTensors(setup), t => Assert.Equal(ScalarType.Float64, t.dtype));
        using var _ = no_grad();
        using var ids = tensor(new long[] { 1, 2, 3, 4 }).unsqueeze(0);
        using var logits = setup.Forward(ids);
        Assert.Equal(ScalarType.Float64, logits.dtype);
    }

    static PeftSetup NewSetup(string method)
    {
        var model = TinyModels.NewGpt2(seed: 1);
        return method switch
        {
            "lora" => new Gpt2LoraSetup(model, new LoraSettings(2, 4)),
            "prompt" => new Gpt2PromptSetup(model, 3),
            _ => new Gpt2HoulsbySetup(model, 4),
        };
    }

    // Every tensor of every adapter, reached through the setup's own bookkeeping rather than its registered modules.
    static Tensor[] AllAdapterTensors(PeftSetup setup) =>
        setup.LoraTargets.SelectMany(t => setup.AdapterNames.SelectMany(n => new Tensor[] { t.Layer.LoraAdapters[n].lora_A.weight, t.Layer.LoraAdapters[n].lora_B.weight }))
            .Concat(setup.Prompts.Values.Select(p => (Tensor)p.weight))
            .Concat(setup.BottleneckSlots.SelectMany(s => s.Adapters.Values.SelectMany(a => a.parameters())))
            .ToArray();
}
