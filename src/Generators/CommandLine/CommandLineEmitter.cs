using System.Linq;
using ModelDsl.Generators.Setups;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;
using ModelDsl.Generators.Common;

namespace ModelDsl.Generators.CommandLine;

/// <summary>
/// Writes <c>ModelDslProgram.Main</c>: the runtime's command line (<c>list</c>, <c>train</c>, <c>eval</c>, <c>generate</c>)
/// over every model and setup of the project, each built by straight-line code.
/// </summary>
internal static class CommandLineEmitter
{
    public static CommandEntry Entry(FamilySpec spec) =>
        new(spec.Type.FullyQualifiedName, spec.Type.Name, $"{spec.Shape.Traits.DisplayName}, {Literals.Grouped(spec.ParameterCount)} parameters", null, false);

    public static CommandEntry? Entry(SetupPlan plan) => plan.Model.IsCausalLanguageModel
        ? new(plan.Spec.Type.FullyQualifiedName, plan.Spec.Type.Name,
            $"fine-tunes {plan.Model.TypeName.Substring(plan.Model.TypeName.LastIndexOf('.') + 1).Replace("global::", "")}: {Literals.Grouped(plan.TrainableParameters)} trainable of {Literals.Grouped(plan.TotalParameters)}",
            plan.Model.TypeName, SetupEmitter.NeedsTokenizer(plan.Spec), plan.Spec.Dpo is { Loss: not null })
        : null;

    public static GeneratedFile Emit(EquatableArray<CommandEntry> entries)
    {
        const string CommandLine = "global::ModelDsl.CommandLine.";
        var writer = TypeScaffold.NewFile();
        writer.Line("/// <summary>The entry point ModelDsl generates for a project with <c>ModelDslCommandLine</c> set to <c>true</c>.</summary>");
        writer.Line(KnownNames.GeneratedCodeAttribute);
        using (writer.Block($"internal static class {KnownNames.CommandLineProgram}"))
        {
            using (writer.Block("private static int Main(string[] args)"))
            {
                writer.Line($"return {CommandLine}ModelDslCommandLine.Run(args, new {CommandLine}CommandTarget[]");
                writer.Line("{");
                foreach (var entry in entries)
                {
                    var create = entry.BaseModelType is null
                        ? $"(baseDir, tokenizer) => baseDir is null ? new {entry.TypeName}() : {entry.TypeName}.FromPretrained(baseDir)"
                        : $"(baseDir, tokenizer) => new {entry.TypeName}({entry.BaseModelType}.FromPretrained({CommandLine}CommandTarget.RequireBase(baseDir, {Literals.String(entry.Name)})){(entry.NeedsTokenizer ? ", tokenizer" : "")})";
                    var dpo = entry.DeclaresDpo ? $" {{ Dpo = {entry.TypeName}.DpoOptions }}" : "";
                    writer.Line($"    new({Literals.String(entry.Name)}, {Literals.String(entry.Description)}, {Literals.Bool(entry.BaseModelType is not null)}, {create}){dpo},");
                }
                writer.Line("});");
            }
        }
        return new GeneratedFile("ModelDslProgram.g.cs", writer.ToString());
    }
}
