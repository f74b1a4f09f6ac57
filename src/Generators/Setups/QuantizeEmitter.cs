using System.Globalization;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;

namespace ModelDsl.Generators.Setups;

/// <summary>
/// What <c>[Quantize]</c> adds to a setup: a static <c>Quantization</c> with the declared settings, one
/// <c>QuantizeBase(…)</c> call per quantized layer in the constructor (before any adapter is attached), and a line in the
/// setup's summary. An invalid setup's stub has the same member, throwing.
/// </summary>
internal static class QuantizeEmitter
{
    const string Settings = "global::ModelDsl.Layers.Quantization.QuantizationSettings";

    public static void WriteMember(SourceWriter writer, SetupSpec spec)
    {
        if (spec.Quantize is not { } quantize) return;
        writer.Line();
        writer.Line($"/// <summary>How [Quantize] stores the frozen base: {Describe(quantize)}.</summary>");
        writer.Line($"public static {Settings} Quantization {{ get; }} = new {Settings}({Literals.Int(quantize.Bits)}, " +
                    $"{Literals.Int(quantize.BlockSize)}, {Literals.Bool(quantize.DoubleQuantization)});");
    }

    public static void WriteStubMember(SourceWriter writer, SetupSpec spec, InvalidReason reason)
    {
        if (spec.Quantize is null) return;
        writer.Line();
        writer.Line($"/// <summary>Throws: {reason.Id}.</summary>");
        writer.Line($"public static {Settings} Quantization => {reason.ThrowAs(Settings)};");
    }

    public static void WriteCalls(SourceWriter writer, SetupPlan plan)
    {
        foreach (var layer in plan.QuantizedLayers)
            writer.Line($"QuantizeBase(model.{layer.AccessPath}, {Literals.String(layer.Name)}, Quantization);");
    }

    /// <summary>The summary's sentence on the quantized layers and what they take.</summary>
    public static string? SummaryLine(SetupPlan plan, double storedBytes, long quantizedValues)
    {
        if (plan.Spec.Quantize is not { } quantize) return null;
        return $"Quantized base ({Describe(quantize)}): {plan.QuantizedLayers.Count} linear layers of the blocks, " +
               $"{Literals.Grouped(quantizedValues)} weights in about {Size(storedBytes)} instead of {Size(4.0 * quantizedValues)} in fp32.";
    }

    static string Describe(QuantizeSpec quantize) => quantize.Bits == 4
        ? $"4-bit NF4 in blocks of {quantize.BlockSize}{(quantize.DoubleQuantization ? ", double quantization" : "")}"
        : "8-bit int8, one absmax per row";

    // KiB below a MiB, so that a small model's sizes do not all read 0.0 MiB.
    static string Size(double bytes) => bytes < 1024.0 * 1024.0
        ? (bytes / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KiB"
        : Mib(bytes);

    internal static string Mib(double bytes) => (bytes / (1024.0 * 1024.0)).ToString("N1", CultureInfo.InvariantCulture) + " MiB";
}
