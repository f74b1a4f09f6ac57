using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;

namespace ModelDsl.Generators.DeclaredModels;

/// <summary>
/// Gradient checkpointing for declared models: a <c>[Module]</c> whose <c>Forward</c> takes tensors and returns one
/// gets a <c>GradientCheckpointing</c> switch that runs its forward under <c>GradientCheckpoint.Run</c> (the first
/// tensor is the input, the others are constants such as masks); a <c>[Model]</c> whose every <c>[Repeat]</c> block
/// has that switch implements <c>IGradientCheckpointing</c> by setting it on each block.
/// </summary>
internal static class CheckpointingEmitter
{
    const string Interface = KnownNames.Layers + "Checkpointing.IGradientCheckpointing";
    const string Run = KnownNames.Layers + "Checkpointing.GradientCheckpoint.Run";

    /// <summary>A forward the checkpoint can replay: a tensor in (then optional tensor constants), a tensor out.</summary>
    public static bool CanCheckpoint(ForwardSignature? forward) =>
        forward is not null
        && forward.ReturnType == KnownNames.Tensor
        && forward.ParameterTypes[0] == KnownNames.Tensor
        && forward.ParameterTypes.Skip(1).All(t => t == KnownNames.Tensor || t == KnownNames.Tensor + "?");

    /// <summary>The repeated members of a model, when there is at least one and every block can be checkpointed.</summary>
    public static IReadOnlyList<MemberSpec> CheckpointedRepeats(ClassSpec spec, ModuleCatalog catalog)
    {
        if (spec.Role != ClassRole.Model) return [];
        var repeats = spec.Members.Where(m => m.Layer is RepeatSpec).ToList();
        var all = repeats.All(m => CanCheckpoint(catalog.Find(((RepeatSpec)m.Layer!).BlockType)?.Forward));
        return all ? repeats : [];
    }

    /// <summary>The base list's extra interface for a model with checkpointed repeats.</summary>
    public static string InterfaceClause(IReadOnlyList<MemberSpec> repeats) => repeats.Count > 0 ? ", " + Interface : "";

    /// <summary>A block's switch and its forward: checkpointed while training with the switch on.</summary>
    public static void EmitBlockForward(SourceWriter writer, ForwardSignature forward)
    {
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// Runs <see cref=\"forward\"/> with gradient checkpointing while training: only the input is kept, and the forward");
        writer.Line("/// runs again in backward. Set for every block by the model's <c>GradientCheckpointing</c>.");
        writer.Line("/// </summary>");
        writer.Line("public bool GradientCheckpointing { get; set; }");
        writer.Line();
        var names = forward.ParameterNames;
        var parameters = forward.ParameterTypes.Zip(names, (t, n) => $"{t} {n}");
        var call = $"Forward({string.Join(", ", names)})";
        var replay = names.Count == 1
            ? $"{Run}(Forward, {names[0]})"
            : $"{Run}((input, constants) => Forward(input, {string.Join(", ", Enumerable.Range(0, names.Count - 1).Select(i => Constant(forward, i)))}), {string.Join(", ", names)})";
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public override {forward.ReturnType} forward({string.Join(", ", parameters)}) =>");
        writer.Line($"    GradientCheckpointing && training ? {replay} : {call};");
    }

    static string Constant(ForwardSignature forward, int index) =>
        forward.ParameterTypes[index + 1] == KnownNames.Tensor ? $"constants[{index}]!" : $"constants[{index}]";

    /// <summary>A model's switch, which sets every repeated block's.</summary>
    public static void EmitModelSwitch(SourceWriter writer, IReadOnlyList<MemberSpec> repeats)
    {
        if (repeats.Count == 0) return;
        writer.Line();
        writer.Line("private bool __gradientCheckpointing;");
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        using (writer.Block("public bool GradientCheckpointing"))
        {
            writer.Line("get => __gradientCheckpointing;");
            using (writer.Block("set"))
            {
                writer.Line("__gradientCheckpointing = value;");
                foreach (var member in repeats)
                    writer.Line($"foreach (var block in {ModelEmitter.Target(member)}) block.GradientCheckpointing = value;");
            }
        }
    }

    /// <summary>The switch of an invalid model's stub, which has no blocks to set (its constructor throws).</summary>
    public static void EmitStubSwitch(SourceWriter writer, IReadOnlyList<MemberSpec> repeats)
    {
        if (repeats.Count == 0) return;
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line("public bool GradientCheckpointing { get; set; }");
    }
}
