using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;

namespace ModelDsl.Generators.Families;

/// <summary>
/// The generated half of an invalid family declaration (<c>[Gpt2(Dim = 30, Heads = 4)]</c>): the same public shape —
/// base model class, <c>Declared</c>, <c>ParameterCount</c>, constructor, <c>FromPretrained</c> — with members that throw,
/// so the build shows only the MDSL error.
/// </summary>
internal static class FamilyStubEmitter
{
    public static GeneratedFile? Emit(TypeLocation type, bool declaresConstructor, string runtimeBase, string configType, InvalidReason reason)
    {
        if (!Stubs.CanEmit(type)) return null;
        var writer = TypeScaffold.NewFile();
        var config = KnownNames.Models + configType;
        using (TypeScaffold.OpenContainers(writer, type))
        {
            writer.Line($"/// <summary>{reason.Summary}</summary>");
            writer.Line(KnownNames.GeneratedCodeAttribute);
            using (writer.Block($"partial class {type.Name}{Stubs.BaseClause(type, declaresConstructor, KnownNames.Models + runtimeBase)}"))
            {
                writer.Line($"/// <summary>Throws: {reason.Id}.</summary>");
                writer.Line($"public static {config} Declared => {reason.ThrowAs(config)};");
                writer.Line();
                writer.Line("/// <summary>Not counted: the declaration is invalid.</summary>");
                writer.Line("public const long ParameterCount = 0L;");
                if (!declaresConstructor && !type.HasBaseType)
                {
                    writer.Line();
                    writer.Line($"/// <summary>Throws: {reason.Id}.</summary>");
                    writer.Line($"public {type.Name}({KnownNames.Device}? device = null, {KnownNames.ScalarType}? dtype = null)");
                    writer.Line($"    : base({reason.ThrowAs(config)}, device, dtype)");
                    writer.Line("{");
                    writer.Line("}");
                }
                writer.Line();
                writer.Line($"/// <summary>Throws: {reason.Id}.</summary>");
                writer.Line($"public static {type.Name} FromPretrained(string directory, {KnownNames.Device}? device = null, {KnownNames.ScalarType}? dtype = null) => {reason.ThrowAs(type.Name)};");
            }
        }
        return new GeneratedFile(type.HintName, writer.ToString());
    }

    /// <summary>
    /// The stub of a <c>[FromConfig]</c> class whose file cannot be read as a family. Which family it would be is unknown,
    /// so it stands in as a Llama: code that uses it as a decoder model (construct, generate, fine-tune) still compiles.
    /// </summary>
    public static GeneratedFile? EmitUnresolved(TypeLocation type, bool declaresConstructor, InvalidReason reason) =>
        Emit(type, declaresConstructor, "LlamaForCausalLM", "LlamaConfig", reason);
}
