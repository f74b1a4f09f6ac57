using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Layout;

/// <summary>
/// The parameters a valid declaration creates, in the order the runtime registers them, computed from
/// the declared shapes alone. This is where <c>ParameterCount</c> comes from; the runtime layers must agree
/// (tests build the model and compare).
/// </summary>
internal static class ParameterLayout
{
    const int MaxNesting = 16;

    /// <summary>The parameters of <paramref name="spec"/>, or <see langword="null"/> if a block cannot be resolved.</summary>
    public static IReadOnlyList<ParameterEntry>? Build(ClassSpec spec, ModuleCatalog catalog) => Build(spec, catalog, "", 0);

    static List<ParameterEntry>? Build(ClassSpec spec, ModuleCatalog catalog, string prefix, int depth)
    {
        if (depth > MaxNesting) return null;
        var entries = new List<ParameterEntry>();
        foreach (var member in spec.Members)
        {
            var name = prefix + member.StateName;
            switch (member.Layer)
            {
                case LinearSpec { TiedTo: not null }:
                    break; // shares another layer's weight: registered (and counted) there
                case LinearSpec linear:
                    Add(entries, name + ".weight", linear.OutFeatures, linear.InFeatures);
                    if (linear.Bias) Add(entries, name + ".bias", linear.OutFeatures);
                    break;
                case EmbeddingSpec embedding:
                    Add(entries, name + ".weight", embedding.Count, embedding.Dim);
                    break;
                case LayerNormSpec norm:
                    Add(entries, name + ".weight", norm.Dim);
                    Add(entries, name + ".bias", norm.Dim);
                    break;
                case RmsNormSpec rms:
                    Add(entries, name + ".weight", rms.Dim);
                    break;
                case AttentionSpec attention:
                    long headDim = attention.Dim / attention.Heads;
                    long qkv = (attention.Heads + 2L * attention.KvHeads) * headDim;
                    Add(entries, name + ".c_attn.weight", qkv, attention.Dim);
                    if (attention.Bias) Add(entries, name + ".c_attn.bias", qkv);
                    Add(entries, name + ".c_proj.weight", attention.Dim, attention.Dim);
                    if (attention.Bias) Add(entries, name + ".c_proj.bias", attention.Dim);
                    break;
                case MlpSpec mlp:
                    Add(entries, name + ".c_fc.weight", mlp.Hidden, mlp.Dim);
                    Add(entries, name + ".c_fc.bias", mlp.Hidden);
                    Add(entries, name + ".c_proj.weight", mlp.Dim, mlp.Hidden);
                    Add(entries, name + ".c_proj.bias", mlp.Dim);
                    break;
                case RepeatSpec repeat:
                    if (catalog.Find(repeat.BlockType) is not { } block) return null;
                    for (int i = 0; i < repeat.Count; i++)
                    {
                        var inner = Build(block, catalog, $"{name}.{i}.", depth + 1);
                        if (inner is null) return null;
                        entries.AddRange(inner);
                    }
                    break;
            }
        }
        return entries;
    }

    static void Add(List<ParameterEntry> entries, string name, params long[] shape) =>
        entries.Add(new ParameterEntry(name, shape.ToEquatableArray()));
}
