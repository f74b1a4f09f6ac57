using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;
using ModelDsl.Shared.Memory;

namespace ModelDsl.Generators.Setups;

/// <summary>
/// The setup's <c>&lt;remarks&gt;</c>: what one training step costs at batch 1 × the model's context, by the rule the
/// runtime's <c>EstimateMemory</c> uses (<see cref="TrainingMemoryRule"/>), in fp32 and in bf16 with checkpointing.
/// </summary>
internal static class SetupMemoryDoc
{
    public static void Write(SourceWriter writer, SetupPlan plan)
    {
        var shape = plan.Model.Shape;
        long sequence = shape?.Context ?? 0;
        var context = sequence.ToString("N0", CultureInfo.InvariantCulture);
        writer.Line("/// <remarks>");
        if (shape is null || plan.Prompt is not null || plan.Adapter is not null)
        {
            writer.Line($"/// Memory of one training step (AdamW, fp32): {Estimate(plan, ComputeFormat.Float32, false, 1).Describe()};");
            writer.Line($"/// activations are counted for LoRA, full, BitFit and selective fine-tuning of a family model, not for {Unestimated(plan)}.");
        }
        else
        {
            writer.Line($"/// Memory of one training step (AdamW) at batch 1 × {context} tokens, fp32, no gradient checkpointing:");
            writer.Line($"/// {Estimate(plan, ComputeFormat.Float32, false, sequence).Describe()}.");
            writer.Line($"/// In bf16 with gradient checkpointing: {Estimate(plan, ComputeFormat.BFloat16, true, sequence).Describe()}.");
            writer.Line("/// Other sizes and options: <c>EstimateMemory(batch, sequence, options)</c> (ModelDsl.Training.MemoryEstimator).");
        }
        writer.Line("/// </remarks>");
    }

    static string Unestimated(SetupPlan plan) =>
        plan.Model.Shape is null ? "a declared model" : plan.Prompt is not null ? "prompt tuning" : "bottleneck adapters";

    static MemoryBreakdown Estimate(SetupPlan plan, ComputeFormat format, bool checkpointing, long sequence)
    {
        var model = plan.Model;
        var shape = plan.Prompt is null && plan.Adapter is null ? model.Shape : null;
        var trained = new HashSet<string>(plan.SelectedParameters.Select(p => p.Name));
        var adapted = new HashSet<string>(plan.LoraTargets.Select(t => t.Name));
        bool Trains(string module) => plan.FullFineTune || trained.Contains(module + ".weight");
        var blocks = new List<BlockTraining>();
        if (shape is not null)
        {
            var prefix = shape.Family == ModelDsl.Families.FamilyKind.Gpt2 ? "transformer.h." : "model.layers.";
            for (int i = 0; i < shape.Layers; i++)
            {
                var blockPrefix = prefix + i.ToString(CultureInfo.InvariantCulture) + ".";
                blocks.Add(BlockTraining.From(model.Layers
                    .Where(l => l.BlockIndex == i && l.Name.StartsWith(blockPrefix, System.StringComparison.Ordinal))
                    .Select(l => (l.Name.Substring(blockPrefix.Length), Trains(l.Name),
                        adapted.Contains(l.Name) ? plan.Lora!.Rank : 0, l.InFeatures, plan.Lora?.Dropout ?? 0.0))));
            }
        }
        var tiedEmbedding = shape is { TieEmbeddings: true } ? (shape.Family == ModelDsl.Families.FamilyKind.Gpt2 ? "transformer.wte" : "model.embed_tokens") : "lm_head";
        var finalNorm = shape?.Family == ModelDsl.Families.FamilyKind.Gpt2 ? "transformer.ln_f" : "model.norm";
        // A [Quantize]d base stores its block linears as codes: the rule counts their bytes instead of float ones.
        var quantized = plan.QuantizedLayers.Select(l => ((long)l.OutFeatures, (long)l.InFeatures)).ToList();
        var storage = plan.Spec.Quantize is { } q ? new QuantizationFormat(q.Bits, q.BlockSize, q.DoubleQuantization) : null;
        var inputs = new MemoryInputs(plan.TrainableParameters, plan.TotalParameters - plan.TrainableParameters,
            quantized, storage, shape is null ? null : ActivationShape.Of(shape), blocks,
            Trains(tiedEmbedding), Trains(finalNorm), format, checkpointing, 1, sequence);
        return TrainingMemoryRule.Estimate(inputs);
    }
}
