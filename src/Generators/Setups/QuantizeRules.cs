using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Specs;
using ModelDsl.Shared.Quantization;

namespace ModelDsl.Generators.Setups;

/// <summary>
/// What <c>[Quantize]</c> needs from a setup, checked from the declaration alone: its arguments (the bounds the runtime's
/// quantized layers share), a model with layers to quantize, a block size that divides every quantized layer's input
/// width, reachable layers, and a method that leaves those layers' weights frozen.
/// </summary>
internal static class QuantizeRules
{
    /// <summary>
    /// The layers <c>[Quantize]</c> replaces: the linear layers inside the repeated blocks. The embeddings and the LM head
    /// stay in floating point (transformers keeps <c>lm_head</c> unquantized), as do norms; a tied layer is never one.
    /// </summary>
    public static List<LayerEntry> Layers(ModelDescription model) =>
        model.Layers.Where(l => l.IsAffine && l.BlockIndex >= 0 && !l.IsTied).ToList();

    /// <summary>The layers to quantize, with <paramref name="findings"/> extended by what is wrong.</summary>
    public static List<LayerEntry> Check(SetupSpec spec, ModelDescription model, IReadOnlyList<ParameterRef> selected, List<Finding> findings)
    {
        if (spec.Quantize is not { } quantize) return [];
        if (!quantize.Constant)
        {
            findings.Add(new Finding(DiagnosticIds.IncompleteMethod,
                "The arguments of [Quantize] must be compile-time constants of the declared types.", Attribute: "Quantize"));
            return [];
        }
        var layers = Layers(model);
        if (layers.Count == 0)
        {
            findings.Add(new Finding(DiagnosticIds.QuantizeFindsNoLayer,
                $"[Quantize] finds no linear layer inside a repeated block of '{SetupPlanner.ShortType(model)}' (it leaves embeddings, heads and layers " +
                "outside [Repeat] blocks in floating point), so it would change nothing; remove [Quantize], or declare the layers in a [Module] block " +
                "that the model repeats with [Repeat].",
                Attribute: "Quantize"));
            return layers;
        }
        var problems = QuantizationArguments.Check(quantize.Bits, quantize.BlockSize, quantize.BlockSizeGiven, quantize.DoubleQuantizationGiven);
        foreach (var problem in problems)
            findings.Add(new Finding(problem.Id, problem.Message, Argument: problem.Argument, Attribute: "Quantize"));
        if (problems.Count == 0 && quantize.Bits == QuantizationArguments.Nf4Bits)
            // One finding per input width that does not divide, on the first layer that has it.
            foreach (var layer in layers.GroupBy(l => l.InFeatures).Select(g => g.First()))
                if (QuantizationArguments.BlockDividesInput(layer.Name, layer.InFeatures, quantize.BlockSize) is { } problem)
                    findings.Add(new Finding(problem.Id, problem.Message, Argument: problem.Argument, Attribute: "Quantize"));
        foreach (var layer in layers.Where(l => !l.IsReachable).Take(1))
            findings.Add(new Finding(DiagnosticIds.Unreachable,
                $"'{layer.Name}' is reached through a private member; make the layer's member public or internal so the setup can quantize it.",
                Attribute: "Quantize"));
        CheckFrozen(spec, model, layers, selected, findings);
        return layers;
    }

    // A quantized weight is codes without a gradient: nothing may train it.
    static void CheckFrozen(SetupSpec spec, ModelDescription model, List<LayerEntry> layers, IReadOnlyList<ParameterRef> selected, List<Finding> findings)
    {
        var bits = spec.Quantize!.Bits;
        if (spec.Methods.OfType<FullFineTuneSpec>().Any())
        {
            findings.Add(new Finding(DiagnosticIds.QuantizeTrainedWeights,
                $"[FullFineTune] trains every weight of '{SetupPlanner.ShortType(model)}', but [Quantize] stores the blocks' linear weights as frozen " +
                $"{bits}-bit codes, which have no gradient. Train adapters on the quantized base (e.g. [LoRA(8)], QLoRA), or remove [Quantize].",
                Attribute: "Quantize"));
            return;
        }
        var weights = new HashSet<string>(layers.Select(l => l.Name + ".weight"));
        var trained = selected.FirstOrDefault(p => weights.Contains(p.Name));
        if (trained is not null)
            findings.Add(new Finding(DiagnosticIds.QuantizeTrainedWeights,
                $"[Selective] trains '{trained.Name}', but [Quantize] stores that weight as frozen {bits}-bit codes, which have no gradient. " +
                "Select only biases, norms, embeddings or the head, or remove [Quantize].",
                Attribute: "Quantize"));
    }

    /// <summary>
    /// About how many bytes the quantized weights take: NF4 half a byte per value plus a float32 absmax per block (one byte
    /// per block, plus a float32 per 256 blocks, when double-quantized); int8 one byte per value plus a float32 per row.
    /// </summary>
    public static double StoredBytes(QuantizeSpec quantize, IEnumerable<LayerEntry> layers) =>
        layers.Sum(l =>
        {
            double values = (double)l.InFeatures * l.OutFeatures;
            if (quantize.Bits != QuantizationArguments.Nf4Bits) return values + 4.0 * l.OutFeatures;
            double blocks = System.Math.Ceiling(values / quantize.BlockSize);
            return values / 2 + (quantize.DoubleQuantization ? blocks + 4 * System.Math.Ceiling(blocks / 256) : 4 * blocks);
        });
}
