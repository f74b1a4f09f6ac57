using System.Linq;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;

namespace ModelDsl.Generators.DeclaredModels;

/// <summary>
/// The generated half of an invalid [Model] or [Module]: the same public shape (base type, constructor, constants,
/// implemented partial properties, forward) with members that throw, so the build shows only the MDSL error.
/// </summary>
internal static class ModelStubEmitter
{
    public static GeneratedFile? Emit(ClassSpec spec, InvalidReason reason, ModuleCatalog catalog)
    {
        var type = spec.Type;
        if (!Stubs.CanEmit(type)) return null;
        var writer = TypeScaffold.NewFile();
        using (TypeScaffold.OpenContainers(writer, type))
        {
            writer.Line($"/// <summary>{reason.Summary}</summary>");
            writer.Line(KnownNames.GeneratedCodeAttribute);
            var baseClause = Stubs.BaseClause(type, spec.DeclaresConstructor, ModelEmitter.BaseType(spec.Forward));
            var repeats = baseClause.Length > 0 ? CheckpointingEmitter.CheckpointedRepeats(spec, catalog) : [];
            using (writer.Block($"partial class {type.Name}{baseClause}{CheckpointingEmitter.InterfaceClause(repeats)}"))
            {
                writer.Line("/// <summary>Not counted: the declaration is invalid.</summary>");
                writer.Line("public const long ParameterCount = 0L;");
                writer.Line();
                writer.Line("/// <summary>Empty: the declaration is invalid.</summary>");
                writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<{KnownNames.Layers}ParameterShape> ParameterShapes {{ get; }} = new {KnownNames.Layers}ParameterShape[0];");
                if (!spec.DeclaresConstructor)
                {
                    writer.Line();
                    writer.Line($"/// <summary>Throws: {reason.Id}.</summary>");
                    var signature = $"public {type.Name}({KnownNames.Device}? device = null, {KnownNames.ScalarType}? dtype = null)";
                    if (!type.HasBaseType)
                    {
                        writer.Line(signature);
                        signature = $"    : base({Literals.String(type.Name)})";
                    }
                    using (writer.Block(signature)) writer.Line(reason.ThrowStatement);
                }
                foreach (var member in spec.Members.Where(m => m.IsProperty && m.IsImplementable))
                {
                    var modifiers = member.Modifiers.Length > 0 ? member.Modifiers + " " : "";
                    writer.Line($"{modifiers}partial {member.DeclaredType} {member.Name} {{ get => {reason.ThrowAs(member.DeclaredType)}; }}");
                }
                if (baseClause.Length > 0)
                {
                    CheckpointingEmitter.EmitStubSwitch(writer, repeats);
                    ModelEmitter.EmitForwardOf(writer, spec);
                }
            }
        }
        return new GeneratedFile(type.HintName, writer.ToString());
    }
}
