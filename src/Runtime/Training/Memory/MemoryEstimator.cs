using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Families;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Shared.Memory;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// What a training step will hold before it runs: <c>setup.EstimateMemory(batch, sequence, options)</c> for a PEFT setup,
/// <c>model.EstimateMemory(…)</c> for full fine-tuning of a plain model. The counting rule is the one the generator
/// prints in a setup's documentation (<c>TrainingMemoryRule</c>); the benchmark <c>memory-estimate</c> checks it against
/// the measured peak.
/// </summary>
public static class MemoryEstimator
{
    /// <summary>
    /// The estimate for training <paramref name="setup"/> at <paramref name="batch"/> × <paramref name="sequence"/> tokens with
    /// <paramref name="options"/> (precision and gradient checkpointing; defaults when null), the frozen block linears
    /// stored as <paramref name="quantization"/> when given.
    /// </summary>
    public static MemoryEstimate EstimateMemory(this PeftSetup setup, int batch, int sequence, TrainerOptions? options = null,
        BaseQuantization? quantization = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (setup.Config is PromptTuningConfig or BottleneckConfig)
            throw new NotSupportedException(
                $"EstimateMemory does not count the activations of {setup.Config.MethodName()} yet (virtual tokens and bottleneck adapters " +
                "add their own); it estimates LoRA, full, BitFit and selective fine-tuning.");
        var model = setup.BaseModel as DecoderLanguageModel ?? throw NotAFamily(setup.BaseModel);
        var trainable = TrainedHandles(setup);
        // A [Quantize]d setup says how its base is stored; an explicit argument describes a base quantized some other way.
        if (quantization is null && setup.QuantizedLayers.Count > 0 && setup.QuantizedLayers[0].Settings is { } stored)
            quantization = new BaseQuantization(stored.Bits, stored.BlockSize, stored.Bits == 4 && stored.DoubleQuantization);
        return Estimate(setup, model, trainable, batch, sequence, options, quantization);
    }

    /// <summary>
    /// The estimate for fine-tuning <paramref name="model"/> (what the trainer would train: every parameter with
    /// <c>requires_grad</c>, so all of a fresh model's) at <paramref name="batch"/> ×
    /// <paramref name="sequence"/> tokens with <paramref name="options"/>.
    /// </summary>
    public static MemoryEstimate EstimateMemory(this DecoderLanguageModel model, int batch, int sequence, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Estimate(model, model, TrainedHandles(model), batch, sequence, options, quantization: null);
    }

    static HashSet<IntPtr> TrainedHandles(nn.Module trained) => new(TrainedParameters.Of(trained).Select(p => p.Parameter.Handle));

    static MemoryEstimate Estimate(nn.Module trained, DecoderLanguageModel model, HashSet<IntPtr> trainable, int batch, int sequence,
        TrainerOptions? options, BaseQuantization? quantization)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch must hold at least one sequence.");
        if (sequence < 1 || sequence > model.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"The sequence length must lie in [1, {model.ContextLength}] (the model's context).");
        options ??= new TrainerOptions();
        options.Validate();
        quantization?.Validate();
        var shape = ShapeOf(model);
        var prefix = shape.Family == FamilyKind.Gpt2 ? "transformer.h." : "model.layers.";

        long trainableCount = 0, frozenCount = 0;
        foreach (var (_, parameter) in trained.DistinctNamedParameters())
        {
            if (trainable.Contains(parameter.Handle)) trainableCount += parameter.numel();
            else frozenCount += parameter.numel();
        }

        var blocks = new List<(string, bool, int, long, double)>[shape.Layers];
        for (var i = 0; i < blocks.Length; i++) blocks[i] = [];
        var quantized = new List<(long Rows, long Columns)>();
        bool headTrains = false, finalNormTrains = false;
        var modules = model.named_modules().ToList();
        // LoRA's own lora_A / lora_B layers are adapter state, counted through their host's rank.
        var adapterLayers = new HashSet<nn.Module>(modules.Select(m => m.module).OfType<LinearBase>().SelectMany(l => l.UpdateChildren));
        foreach (var (name, module) in modules)
        {
            if (adapterLayers.Contains(module)) continue;
            // An already quantized layer has no float weight to read: its values count as frozen and are stored as codes.
            var codes = (module as LinearBase)?.Quantized;
            var weight = codes is not null ? null : module switch
            {
                LinearBase linear => linear.weight,
                LayerNorm norm => norm.weight,
                RmsNorm norm => norm.weight,
                _ => null,
            };
            if (weight is null && codes is null) continue;
            if (codes is not null) frozenCount += codes.Count;
            bool trains = weight is not null && trainable.Contains(weight.Handle);
            if (name == "lm_head") headTrains = trains;
            if (name is "transformer.ln_f" or "model.norm") finalNormTrains = trains;
            if (!TryBlock(name, prefix, out var block, out var nameInBlock) || block >= blocks.Length) continue;
            var lora = module is LinearBase host && LoraLayer.Find(host) is { IsActive: true, Active: { } adapter } ? adapter.Settings : null;
            var inFeatures = (module as LinearBase)?.InFeatures ?? 0;
            blocks[block].Add((nameInBlock, trains, lora?.Rank ?? 0, inFeatures, lora?.Dropout ?? 0));
            if (quantization is not null && module is LinearBase frozen && !trains)
                quantized.Add((frozen.OutFeatures, frozen.InFeatures));
        }

        var precision = options.Precision;
        var inputs = new MemoryInputs(trainableCount, frozenCount, quantized,
            quantization is null ? null : new QuantizationFormat(quantization.Bits, quantization.BlockSize, quantization.DoubleQuantize),
            ActivationShape.Of(shape), blocks.Select(BlockTraining.From).ToList(), headTrains, finalNormTrains,
            precision switch
            {
                TrainingPrecision.BFloat16 => ComputeFormat.BFloat16,
                TrainingPrecision.Float16 => ComputeFormat.Float16,
                _ => ComputeFormat.Float32,
            },
            options.GradientCheckpointing, batch, sequence);
        var breakdown = TrainingMemoryRule.Estimate(inputs);
        return new MemoryEstimate(batch, sequence, precision, options.GradientCheckpointing, quantization,
            breakdown.TrainableWeightBytes, breakdown.FrozenWeightBytes, breakdown.MasterWeightBytes, breakdown.GradientBytes,
            breakdown.OptimizerBytes, breakdown.ActivationBytes ?? 0, breakdown.LogitsBytes);
    }

    static FamilyShape ShapeOf(DecoderLanguageModel model) => model switch
    {
        Gpt2LMHeadModel gpt2 => gpt2.Config.ToShape(),
        DecoderForCausalLM decoder => decoder.Shape,
        _ => throw NotAFamily(model),
    };

    static NotSupportedException NotAFamily(nn.Module model) => new(
        $"EstimateMemory counts the activations of GPT-2 and the rotary decoder families (Llama, Mistral, Qwen2, Qwen3, Phi-3, Gemma); " +
        $"{model.GetType().Name} is a declared model whose forward it does not know.");

    // "transformer.h.3.attn.c_attn" → block 3, "attn.c_attn".
    static bool TryBlock(string name, string prefix, out int block, out string nameInBlock)
    {
        block = -1;
        nameInBlock = "";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var rest = name[prefix.Length..];
        var dot = rest.IndexOf('.');
        if (dot < 0 || !int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out block)) return false;
        nameInBlock = rest[(dot + 1)..];
        return true;
    }
}
