using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Families;
using ModelDsl.Generators.DeclaredModels;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Families;

/// <summary>
/// What a setup needs to know about a model: for a family, the shared module list (Hugging Face's names, reached
/// through the runtime's snake_case properties, <c>model.layers[0].self_attn.q_proj</c>); for a custom <c>[Model]</c>,
/// its own layout.
/// </summary>
internal static class FamilyLayout
{
    static readonly Regex Index = new(@"\.(\d+)(?=\.|$)", RegexOptions.CultureInvariant);

    public static ModelDescription Describe(FamilySpec spec)
    {
        var shape = spec.Shape;
        var layers = FamilyModules.Modules(shape)
            .Select(m => new LayerEntry(m.Name, Path(m), TypeOf(m.Kind), m.InFeatures, m.OutFeatures, m.Block, true, m.IsTied))
            .ToEquatableArray();
        var parameters = FamilyModules.Parameters(shape)
            .Select(p => new ParameterRef(p.Name, Path(p.Module) + (p.IsBias ? ".bias!" : ".weight"), (long)p.Count, p.IsBias, true))
            .ToEquatableArray();
        return new ModelDescription(spec.Type.FullyQualifiedName, true, spec.ParameterCount,
            shape.Dim, shape.Context, shape.Heads, shape.Layers, layers, parameters, shape);
    }

    /// <summary>A custom <c>[Model]</c>: what its layout lists. Not a causal LM to the runtime (its Forward is the user's).</summary>
    public static ModelDescription Describe(ClassSpec spec, ParameterLayout layout) =>
        new(spec.Type.FullyQualifiedName, false,
            layout.Parameters.Sum(p => p.ElementCount), 0, 0, 0,
            layout.Layers.Where(l => l.BlockIndex >= 0).Select(l => l.BlockIndex).DefaultIfEmpty(-1).Max() + 1,
            layout.Layers.ToEquatableArray(),
            layout.Parameters.Select(p => new ParameterRef(p.Name, p.AccessPath, p.ElementCount, p.IsBias, p.IsReachable)).ToEquatableArray());

    // "model.layers.0.self_attn.q_norm" → "model.layers[0].self_attn.q_norm!" (the runtime's properties; nullable ones asserted).
    static string Path(FamilyModule module) => Index.Replace(module.Name, "[$1]") + (module.IsOptionalMember ? "!" : "");

    static LayerType TypeOf(ModuleKind kind) => kind switch
    {
        ModuleKind.Embedding => LayerType.Embedding,
        ModuleKind.Linear => LayerType.Linear,
        ModuleKind.Conv1D => LayerType.Conv1D,
        ModuleKind.LayerNorm => LayerType.LayerNorm,
        ModuleKind.RmsNorm => LayerType.RmsNorm,
        _ => LayerType.Container,
    };
}
