using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;

namespace ModelDsl.Generators.Setups;

/// <summary>
/// The generated half of an invalid setup (a rank too large, a target that matches nothing, a model with errors): the
/// same public shape — <c>PeftSetup&lt;TModel&gt;</c> with its members, the constants, the constructor — whose
/// constructor throws, so the build shows only the MDSL error.
/// </summary>
internal static class SetupStubEmitter
{
    public static GeneratedFile? Emit(SetupSpec spec, InvalidReason reason)
    {
        var type = spec.Type;
        if (!Stubs.CanEmit(type) || spec.ModelType.Length == 0) return null;
        // Without a module to wrap there is no PeftSetup<TModel>; the constructor alone keeps `new Setup(model)` compiling.
        bool derives = spec.ModelIsModule && Stubs.BaseClause(type, spec.DeclaresConstructor, "base").Length > 0;
        var writer = TypeScaffold.NewFile();
        using (TypeScaffold.OpenContainers(writer, type))
        {
            writer.Line($"/// <summary>{reason.Summary}</summary>");
            writer.Line(KnownNames.GeneratedCodeAttribute);
            using (writer.Block($"partial class {type.Name}{(derives ? $" : {SetupEmitter.Setups}PeftSetup<{spec.ModelType}>" : "")}"))
            {
                writer.Line("/// <summary>Not counted: the declaration is invalid.</summary>");
                writer.Line("public const long TrainableParameterCount = 0L;");
                writer.Line();
                writer.Line("/// <summary>Not counted: the declaration is invalid.</summary>");
                writer.Line("public const long TotalParameterCount = 0L;");
                if (!spec.DeclaresConstructor) WriteConstructor(writer, spec, reason, derives);
                QuantizeEmitter.WriteStubMember(writer, spec, reason);
                PreferenceEmitter.WriteStubMembers(writer, spec, reason);
            }
        }
        return new GeneratedFile(type.HintName, writer.ToString());
    }

    static void WriteConstructor(SourceWriter writer, SetupSpec spec, InvalidReason reason, bool derives)
    {
        writer.Line();
        writer.Line($"/// <summary>Throws: {reason.Id}.</summary>");
        var signature = $"public {spec.Type.Name}({spec.ModelType} model" + (SetupEmitter.NeedsTokenizer(spec) ? SetupEmitter.TokenizerParameter : "") + ")";
        if (!derives)
        {
            using (writer.Block(signature)) writer.Line(reason.ThrowStatement);
            return;
        }
        writer.Line(signature);
        writer.Line($"    : base(model, {reason.ThrowAs(SetupEmitter.Setups + "PeftConfig")})");
        writer.Line("{");
        writer.Line("}");
    }
}
