using System.Collections.Generic;
using ModelDsl.Families;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;

namespace ModelDsl.Generators.Families;

/// <summary>
/// Writes the generated half of a family class (<c>[Gpt2]</c>, <c>[Llama]</c>, …, <c>[FromConfig]</c>): the architecture
/// lives in the runtime (<c>ModelDsl.Models</c>); the generated part pins the declared sizes, the parameter count and a
/// typed FromPretrained.
/// </summary>
internal static class FamilyEmitter
{
    /// <summary>The generated half of a family class, or its stub when the declaration is invalid.</summary>
    public static GeneratedFile? Render(FamilySpec spec) =>
        InvalidReason.FirstError(FamilyValidator.Validate(spec)) is { } reason
            ? FamilyStubEmitter.Emit(spec.Type, spec.DeclaresConstructor, RuntimeBase(spec.Shape.Traits), ConfigType(spec.Shape.Traits), reason)
            : Emit(spec);

    /// <summary>
    /// The generated half of a <c>[FromConfig]</c> class: its family's, or — when its file cannot be read as one — a stub.
    /// </summary>
    public static GeneratedFile? Render(FromConfigResolution resolved) =>
        resolved.Family is { } family ? Render(family)
        : resolved.Problem is { } problem ? FamilyStubEmitter.EmitUnresolved(resolved.Request.Type, resolved.Request.DeclaresConstructor, problem)
        : null;

    static string RuntimeBase(FamilyTraits traits) => traits.Kind == FamilyKind.Gpt2 ? "Gpt2LMHeadModel" : traits.Architecture;

    static string ConfigType(FamilyTraits traits) => traits.AttributeName + "Config";

    public static GeneratedFile Emit(FamilySpec spec)
    {
        var shape = spec.Shape;
        var traits = shape.Traits;
        var runtimeBase = RuntimeBase(traits);
        var configType = ConfigType(traits);
        var config = $"new {KnownNames.Models}{configType}({string.Join(", ", ConfigArguments(shape))})";
        return EmitFamily(spec.Type, runtimeBase, configType, config, Summary(shape), spec.ParameterCount);
    }

    static IEnumerable<string> ConfigArguments(FamilyShape shape)
    {
        yield return $"Layers: {Literals.Int(shape.Layers)}";
        yield return $"Dim: {Literals.Int(shape.Dim)}";
        yield return $"Heads: {Literals.Int(shape.Heads)}";
        if (shape.Family == FamilyKind.Gpt2)
        {
            yield return $"Vocab: {Literals.Int(shape.Vocab)}";
            yield return $"Context: {Literals.Int(shape.Context)}";
            yield return $"NormEps: {Literals.Double(shape.NormEps)}";
            yield break;
        }
        yield return $"KvHeads: {Literals.Int(shape.KvHeads)}";
        yield return $"Ffn: {Literals.Int(shape.Ffn)}";
        yield return $"Vocab: {Literals.Int(shape.Vocab)}";
        yield return $"Context: {Literals.Int(shape.Context)}";
        yield return $"RopeTheta: {Literals.Double(shape.RopeTheta)}";
        yield return $"TieEmbeddings: {Literals.Bool(shape.TieEmbeddings)}";
        yield return $"NormEps: {Literals.Double(shape.NormEps)}";
        if (shape.HeadDim != 0) yield return $"HeadDim: {Literals.Int(shape.HeadDim)}";
        if (shape.RopeScaling is { } rope)
            yield return rope.Kind == RopeKind.Linear
                ? $"RopeScaling: global::ModelDsl.Layers.RotaryScaling.Linear({Literals.Double(rope.Factor)})"
                : $"RopeScaling: global::ModelDsl.Layers.RotaryScaling.Llama3({Literals.Double(rope.Factor)}, {Literals.Double(rope.LowFreqFactor)}, " +
                  $"{Literals.Double(rope.HighFreqFactor)}, {Literals.Int(rope.OriginalContext)})";
        if (shape.Traits.Sliding != SlidingWindowMode.None) yield return $"SlidingWindow: {Literals.Int(shape.SlidingWindow)}";
        if (shape.Traits.Sliding == SlidingWindowMode.FromLayer) yield return $"MaxWindowLayers: {Literals.Int(shape.FirstSlidingLayer)}";
        if (shape.Family == FamilyKind.Gemma && shape.Activation != FamilyActivation.GeluTanh)
            yield return $"HiddenAct: global::ModelDsl.Activation.{shape.Activation}";
    }

    static string Summary(FamilyShape shape)
    {
        var name = shape.Traits.DisplayName;
        if (shape.Family == FamilyKind.Gpt2)
            return $"{name} ({Literals.Int(shape.Layers)} layers, width {Literals.Int(shape.Dim)}, {Literals.Int(shape.Heads)} heads, " +
                   $"vocabulary {Literals.Int(shape.Vocab)}, context {Literals.Int(shape.Context)})";
        var headWidth = shape.HeadDim != 0 ? $", head width {Literals.Int(shape.HeadDim)}" : "";
        var window = shape.SlidingWindow > 0 && shape.Traits.Sliding != SlidingWindowMode.None
            ? $", sliding window {Literals.Int(shape.SlidingWindow)}" + (shape.Traits.Sliding == SlidingWindowMode.FromLayer && shape.FirstSlidingLayer > 0
                ? $" from layer {Literals.Int(shape.FirstSlidingLayer)}" : "")
            : "";
        var rope = shape.RopeScaling is { } scaling ? $", {(scaling.Kind == RopeKind.Linear ? "linear" : "llama3")} rotary scaling × {Literals.Double(scaling.Factor)}" : "";
        return $"{name} ({Literals.Int(shape.Layers)} layers, width {Literals.Int(shape.Dim)}, {Literals.Int(shape.Heads)} heads / " +
               $"{Literals.Int(shape.KvHeads)} key-value heads{headWidth}, feed-forward {Literals.Int(shape.Ffn)}, vocabulary {Literals.Int(shape.Vocab)}, " +
               $"context {Literals.Int(shape.Context)}{window}{rope})";
    }

    static GeneratedFile EmitFamily(TypeLocation type, string runtimeBase, string configType, string config, string summary, long parameterCount)
    {
        var writer = TypeScaffold.NewFile();
        using (TypeScaffold.OpenContainers(writer, type))
        {
            writer.Line("/// <summary>");
            writer.Line($"/// {summary}: {Literals.Grouped(parameterCount)} parameters.");
            writer.Line("/// </summary>");
            writer.Line(KnownNames.GeneratedCodeAttribute);
            using (writer.Block($"partial class {type.Name} : {KnownNames.Models}{runtimeBase}"))
            {
                writer.Line("/// <summary>The sizes declared by the attribute.</summary>");
                writer.Line($"public static {KnownNames.Models}{configType} Declared {{ get; }} = {config};");
                writer.Line();
                writer.Line($"/// <summary>Number of parameters: {Literals.Grouped(parameterCount)} (a tied head counted once).</summary>");
                writer.Line($"public const long ParameterCount = {Literals.Long(parameterCount)};");
                writer.Line();
                writer.Line("/// <summary>Creates the model with freshly initialised weights.</summary>");
                writer.Line("/// <param name=\"device\">Where to allocate the parameters (default: the current default device; <c>torch.META</c> allocates nothing).</param>");
                writer.Line("/// <param name=\"dtype\">Parameter type (default: float32).</param>");
                writer.Line($"public {type.Name}({KnownNames.Device}? device = null, {KnownNames.ScalarType}? dtype = null)");
                writer.Line("    : base(Declared, device, dtype)");
                writer.Line("{");
                writer.Line("}");
                writer.Line();
                writer.Line("/// <summary>");
                writer.Line("/// Loads a Hugging Face checkpoint directory (<c>config.json</c> + <c>model.safetensors</c> or a sharded index).");
                writer.Line("/// The configuration must match the declared sizes and every tensor must be present, known and of the right shape.");
                writer.Line("/// </summary>");
                using (writer.Block($"public static {type.Name} FromPretrained(string directory, {KnownNames.Device}? device = null, {KnownNames.ScalarType}? dtype = null)"))
                {
                    writer.Line($"var model = new {type.Name}(device, dtype);");
                    using (writer.Block("try"))
                    {
                        writer.Line("global::ModelDsl.IO.PretrainedCheckpoint.LoadPretrained(model, directory);");
                        writer.Line("return model;");
                    }
                    using (writer.Block("catch"))
                    {
                        writer.Line("model.Dispose();");
                        writer.Line("throw;");
                    }
                }
            }
        }
        return new GeneratedFile(type.HintName, writer.ToString());
    }
}
