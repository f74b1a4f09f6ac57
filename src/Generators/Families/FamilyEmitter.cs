using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;

namespace ModelDsl.Generators.Families;

/// <summary>
/// Writes the generated half of a <c>[Gpt2]</c> or <c>[Llama]</c> class: the architecture lives in the runtime
/// (<c>ModelDsl.Models</c>); the generated part pins the declared sizes, the parameter count and a typed FromPretrained.
/// </summary>
internal static class FamilyEmitter
{
    /// <summary>The generated half of a <c>[Gpt2]</c> class, or its stub when the declaration is invalid.</summary>
    public static GeneratedFile? Render(Gpt2Spec spec) =>
        InvalidReason.FirstError(FamilyValidator.Validate(spec)) is { } reason
            ? FamilyStubEmitter.Emit(spec.Type, spec.DeclaresConstructor, "Gpt2LMHeadModel", "Gpt2Config", reason)
            : EmitGpt2(spec);

    /// <summary>The generated half of a <c>[Llama]</c> class, or its stub when the declaration is invalid.</summary>
    public static GeneratedFile? Render(LlamaSpec spec) =>
        InvalidReason.FirstError(FamilyValidator.Validate(spec)) is { } reason
            ? FamilyStubEmitter.Emit(spec.Type, spec.DeclaresConstructor, "LlamaForCausalLM", "LlamaConfig", reason)
            : EmitLlama(spec);

    internal static GeneratedFile EmitGpt2(Gpt2Spec spec)
    {
        var config = $"new {KnownNames.Models}Gpt2Config(Layers: {Literals.Int(spec.Layers)}, Dim: {Literals.Int(spec.Dim)}, " +
                     $"Heads: {Literals.Int(spec.Heads)}, Vocab: {Literals.Int(spec.Vocab)}, Context: {Literals.Int(spec.Context)}, " +
                     $"NormEps: {Literals.Double(spec.NormEps)})";
        var summary = $"GPT-2 ({Literals.Int(spec.Layers)} layers, width {Literals.Int(spec.Dim)}, {Literals.Int(spec.Heads)} heads, " +
                      $"vocabulary {Literals.Int(spec.Vocab)}, context {Literals.Int(spec.Context)})";
        return EmitFamily(spec.Type, "Gpt2LMHeadModel", "Gpt2Config", config, summary, spec.ParameterCount);
    }

    internal static GeneratedFile EmitLlama(LlamaSpec spec)
    {
        var config = $"new {KnownNames.Models}LlamaConfig(Layers: {Literals.Int(spec.Layers)}, Dim: {Literals.Int(spec.Dim)}, " +
                     $"Heads: {Literals.Int(spec.Heads)}, KvHeads: {Literals.Int(spec.KvHeads)}, Ffn: {Literals.Int(spec.Ffn)}, " +
                     $"Vocab: {Literals.Int(spec.Vocab)}, Context: {Literals.Int(spec.Context)}, RopeTheta: {Literals.Double(spec.RopeTheta)}, " +
                     $"TieEmbeddings: {Literals.Bool(spec.TieEmbeddings)}, NormEps: {Literals.Double(spec.NormEps)})";
        var summary = $"Llama ({Literals.Int(spec.Layers)} layers, width {Literals.Int(spec.Dim)}, {Literals.Int(spec.Heads)} heads / " +
                      $"{Literals.Int(spec.KvHeads)} key-value heads, feed-forward {Literals.Int(spec.Ffn)}, vocabulary {Literals.Int(spec.Vocab)}, " +
                      $"context {Literals.Int(spec.Context)})";
        return EmitFamily(spec.Type, "LlamaForCausalLM", "LlamaConfig", config, summary, spec.ParameterCount);
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
