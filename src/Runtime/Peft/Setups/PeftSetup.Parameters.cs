using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Shared.Peft;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Peft;

// Which parameters train, and how many there are.
public abstract partial class PeftSetup
{
    /// <summary>
    /// The parameters to optimise: those the setup created for the active adapter (or, for selective and full
    /// setups, those it was handed), each once, none frozen. Pass these, and only these, to the optimizer.
    /// </summary>
    public IReadOnlyList<Parameter> TrainableParameters() =>
        Distinct(Config is SelectiveConfig or FullFineTuneConfig ? _selected.Select(s => s.Parameter) : AdapterParameters(ActiveAdapter))
            .Where(p => p.requires_grad)
            .ToList();

    /// <summary>The parameters the setup created for adapter <paramref name="name"/>, in attach order.</summary>
    public IReadOnlyList<Parameter> AdapterParameters(string name)
    {
        var result = new List<Parameter>();
        foreach (var target in _loraTargets)
            if (target.Layer.LoraAdapters.TryGetValue(name, out var lora))
            {
                result.Add(lora.lora_A.weight);
                result.Add(lora.lora_B.weight);
            }
        if (_prompts.TryGetValue(name, out var prompt)) result.Add(prompt.weight);
        foreach (var slot in _bottleneckSlots)
            if (slot.Adapters.TryGetValue(name, out var adapter)) result.AddRange(adapter.parameters());
        return result;
    }

    // Methods, not properties: a generated setup declares the compile-time constants
    // TrainableParameterCount and TotalParameterCount, and these count what exists at run time.

    /// <summary>Number of trainable elements (<see cref="TrainableParameters"/>), counted now.</summary>
    public long CountTrainableParameters() => TrainableParameters().Sum(p => p.numel());

    /// <summary>
    /// Number of distinct elements in the base model and every adapter of the setup, counted now; a quantized weight
    /// counts as the values it stores (as PEFT counts a 4-bit base), though it is no longer a parameter.
    /// </summary>
    public long CountAllParameters() =>
        Distinct(BaseModel.parameters().Concat(_adapterNames.SelectMany(AdapterParameters))).Sum(p => p.numel()) + CountQuantizedValues();

    /// <summary>
    /// PEFT's <c>print_trainable_parameters</c> line, e.g.
    /// <c>trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364</c>.
    /// </summary>
    public string Summary() => PeftParameterCounts.FormatSummary(CountTrainableParameters(), CountAllParameters());

    void SelectEverything(nn.Module model)
    {
        foreach (var (name, parameter) in model.DistinctNamedParameters()) _selected.Add(new SelectedParameter(name, parameter));
    }

    static IEnumerable<Parameter> Distinct(IEnumerable<Parameter> parameters) => ModuleInspection.Distinct(parameters);
}

/// <summary>Parameter arithmetic for PEFT methods, without building anything (the generator's constants use the same rules).</summary>
public static class PeftParameterCounts
{
    /// <summary>LoRA's trainable elements on layers of the given shapes: Σ r·(in + out).</summary>
    public static long Lora(IEnumerable<(long InFeatures, long OutFeatures)> layers, int rank)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return layers.Sum(layer => PeftCounts.Lora(layer.InFeatures, layer.OutFeatures, rank));
    }

    /// <summary>A soft prompt's trainable elements: tokens · dim.</summary>
    public static long SoftPrompt(long tokens, long dim) => PeftCounts.SoftPrompt(tokens, dim);

    /// <summary><paramref name="count"/> bottleneck adapters' elements: each 2·dim·b + b + dim (weights and biases).</summary>
    public static long Bottleneck(long dim, long bottleneck, long count) => count * PeftCounts.Bottleneck(dim, bottleneck);

    /// <summary>PEFT's summary line: <c>trainable params: 1,234 || all params: 5,678 || trainable%: 21.7330</c>.</summary>
    public static string FormatSummary(long trainable, long all) => PeftCounts.Summary(trainable, all);
}
