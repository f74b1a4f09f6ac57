using System.Collections.Generic;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.DeclaredModels;

/// <summary>
/// Walks a valid <c>[Model]</c>/<c>[Module]</c> declaration and lists what it creates — every module and every
/// parameter, in the order the runtime registers them — from the declared shapes alone. <c>ParameterCount</c> and
/// <c>ParameterShapes</c> come from here, and so does what a fine-tuning setup can target.
/// </summary>
internal sealed class ParameterLayout
{
    const int MaxNesting = 16;

    // Nested [Repeat]s multiply (1024 blocks of 1024 blocks …): past this many modules the layout gives up rather than hang.
    const int MaxLayers = 100_000;

    readonly ModuleCatalog _catalog;
    readonly List<ParameterEntry> _parameters = new();
    readonly List<LayerEntry> _layers = new();

    ParameterLayout(ModuleCatalog catalog) => _catalog = catalog;

    public IReadOnlyList<ParameterEntry> Parameters => _parameters;

    public IReadOnlyList<LayerEntry> Layers => _layers;

    /// <summary>The layout of <paramref name="spec"/>, or <see langword="null"/> if a repeated block cannot be resolved.</summary>
    public static ParameterLayout? Build(ClassSpec spec, ModuleCatalog catalog)
    {
        var layout = new ParameterLayout(catalog);
        return layout.Walk(spec, new Scope("", "", -1, true), 0) ? layout : null;
    }

    /// <summary>Where the walk is: name and access-path prefixes, the enclosing block index, reachability so far.</summary>
    readonly record struct Scope(string Name, string Path, int Block, bool Reachable)
    {
        public Scope Enter(string name, string path, bool reachable, int? block = null) =>
            new(Name + name + ".", Path + path + ".", block ?? Block, Reachable && reachable);
    }

    bool Walk(ClassSpec spec, Scope scope, int depth)
    {
        if (depth > MaxNesting) return false;
        foreach (var member in spec.Members)
        {
            string name = scope.Name + member.StateName, path = scope.Path + member.Name;
            bool reachable = scope.Reachable && member.IsAccessible;
            switch (member.Layer)
            {
                case LinearSpec linear:
                    Layer(name, path, LayerType.Linear, linear.InFeatures, linear.OutFeatures, scope.Block, reachable, linear.TiedTo is not null);
                    if (linear.TiedTo is not null) break; // shares another layer's weight: registered (and counted) there
                    Parameter(name + ".weight", path + ".weight", reachable, false, linear.OutFeatures, linear.InFeatures);
                    if (linear.Bias) Parameter(name + ".bias", path + ".bias!", reachable, true, linear.OutFeatures);
                    break;
                case EmbeddingSpec embedding:
                    Layer(name, path, LayerType.Embedding, embedding.Dim, embedding.Count, scope.Block, reachable);
                    Parameter(name + ".weight", path + ".weight", reachable, false, embedding.Count, embedding.Dim);
                    break;
                case LayerNormSpec norm:
                    Layer(name, path, LayerType.LayerNorm, norm.Dim, norm.Dim, scope.Block, reachable);
                    Parameter(name + ".weight", path + ".weight", reachable, false, norm.Dim);
                    Parameter(name + ".bias", path + ".bias", reachable, true, norm.Dim);
                    break;
                case RmsNormSpec rms:
                    Layer(name, path, LayerType.RmsNorm, rms.Dim, rms.Dim, scope.Block, reachable);
                    Parameter(name + ".weight", path + ".weight", reachable, false, rms.Dim);
                    break;
                case DropoutSpec:
                    Layer(name, path, LayerType.Dropout, 0, 0, scope.Block, reachable);
                    break;
                case AttentionSpec attention:
                    long qkv = (attention.Heads + 2L * attention.KvHeads) * (attention.Dim / attention.Heads);
                    Layer(name, path, LayerType.Container, 0, 0, scope.Block, reachable);
                    Affine(name + ".c_attn", path + ".c_attn", attention.Dim, qkv, attention.Bias, scope.Block, reachable);
                    Affine(name + ".c_proj", path + ".c_proj", attention.Dim, attention.Dim, attention.Bias, scope.Block, reachable);
                    break;
                case MlpSpec mlp:
                    Layer(name, path, LayerType.Container, 0, 0, scope.Block, reachable);
                    Affine(name + ".c_fc", path + ".c_fc", mlp.Dim, mlp.Hidden, true, scope.Block, reachable);
                    Affine(name + ".c_proj", path + ".c_proj", mlp.Hidden, mlp.Dim, true, scope.Block, reachable);
                    break;
                case RepeatSpec repeat:
                    if (_catalog.Find(repeat.BlockType) is not { } block) return false;
                    Layer(name, path, LayerType.Container, 0, 0, scope.Block, reachable);
                    for (int i = 0; i < repeat.Count; i++)
                    {
                        if (_layers.Count > MaxLayers) return false;
                        var inner = scope.Enter($"{member.StateName}.{i}", $"{member.Name}[{i}]", member.IsAccessible, scope.Block < 0 ? i : scope.Block);
                        Layer(scope.Name + $"{member.StateName}.{i}", scope.Path + $"{member.Name}[{i}]", LayerType.Container, 0, 0, inner.Block, inner.Reachable);
                        if (!Walk(block, inner, depth + 1)) return false;
                    }
                    break;
            }
        }
        return true;
    }

    void Affine(string name, string path, long inFeatures, long outFeatures, bool bias, int block, bool reachable)
    {
        Layer(name, path, LayerType.Linear, inFeatures, outFeatures, block, reachable);
        Parameter(name + ".weight", path + ".weight", reachable, false, outFeatures, inFeatures);
        if (bias) Parameter(name + ".bias", path + ".bias!", reachable, true, outFeatures);
    }

    void Layer(string name, string path, LayerType type, long inFeatures, long outFeatures, int block, bool reachable, bool tied = false) =>
        _layers.Add(new LayerEntry(name, path, type, inFeatures, outFeatures, block, reachable, tied));

    void Parameter(string name, string path, bool reachable, bool isBias, params long[] shape) =>
        _parameters.Add(new ParameterEntry(name, shape.ToEquatableArray(), path, isBias, reachable));
}
