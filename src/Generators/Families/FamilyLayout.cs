using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generators.DeclaredModels;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Families;

/// <summary>
/// The modules and parameters of the runtime's GPT-2 and Llama classes, named as Hugging Face names them and
/// reached through their snake_case properties (<c>transformer.h[0].attn.c_attn</c>).
/// </summary>
internal static class FamilyLayout
{
    public static ModelDescription Describe(Gpt2Spec spec)
    {
        var builder = new Builder();
        long d = spec.Dim;
        builder.Layer("transformer.wte", "transformer.wte", LayerType.Embedding, d, spec.Vocab);
        builder.Parameter("transformer.wte.weight", "transformer.wte.weight", false, spec.Vocab * d);
        builder.Layer("transformer.wpe", "transformer.wpe", LayerType.Embedding, d, spec.Context);
        builder.Parameter("transformer.wpe.weight", "transformer.wpe.weight", false, spec.Context * d);
        for (int i = 0; i < spec.Layers; i++)
        {
            string name = $"transformer.h.{i}", path = $"transformer.h[{i}]";
            builder.Layer(name, path, LayerType.Container, 0, 0, i);
            builder.Norm(name + ".ln_1", path + ".ln_1", LayerType.LayerNorm, d, i);
            builder.Layer(name + ".attn", path + ".attn", LayerType.Container, 0, 0, i);
            builder.Affine(name + ".attn.c_attn", path + ".attn.c_attn", LayerType.Conv1D, d, 3 * d, true, i);
            builder.Affine(name + ".attn.c_proj", path + ".attn.c_proj", LayerType.Conv1D, d, d, true, i);
            builder.Norm(name + ".ln_2", path + ".ln_2", LayerType.LayerNorm, d, i);
            builder.Layer(name + ".mlp", path + ".mlp", LayerType.Container, 0, 0, i);
            builder.Affine(name + ".mlp.c_fc", path + ".mlp.c_fc", LayerType.Conv1D, d, 4 * d, true, i);
            builder.Affine(name + ".mlp.c_proj", path + ".mlp.c_proj", LayerType.Conv1D, 4 * d, d, true, i);
        }
        builder.Norm("transformer.ln_f", "transformer.ln_f", LayerType.LayerNorm, d, -1);
        builder.Layer("lm_head", "lm_head", LayerType.Linear, d, spec.Vocab, -1, tied: true);
        return builder.Build(spec.Type.FullyQualifiedName, ModelFamily.Gpt2, spec.ParameterCount, spec.Dim, spec.Context, spec.Heads, spec.Layers);
    }

    public static ModelDescription Describe(LlamaSpec spec)
    {
        var builder = new Builder();
        long d = spec.Dim, kv = (long)spec.KvHeads * (spec.Dim / spec.Heads), ffn = spec.Ffn;
        builder.Layer("model.embed_tokens", "model.embed_tokens", LayerType.Embedding, d, spec.Vocab);
        builder.Parameter("model.embed_tokens.weight", "model.embed_tokens.weight", false, spec.Vocab * d);
        for (int i = 0; i < spec.Layers; i++)
        {
            string name = $"model.layers.{i}", path = $"model.layers[{i}]";
            builder.Layer(name, path, LayerType.Container, 0, 0, i);
            builder.Layer(name + ".self_attn", path + ".self_attn", LayerType.Container, 0, 0, i);
            builder.Affine(name + ".self_attn.q_proj", path + ".self_attn.q_proj", LayerType.Linear, d, d, false, i);
            builder.Affine(name + ".self_attn.k_proj", path + ".self_attn.k_proj", LayerType.Linear, d, kv, false, i);
            builder.Affine(name + ".self_attn.v_proj", path + ".self_attn.v_proj", LayerType.Linear, d, kv, false, i);
            builder.Affine(name + ".self_attn.o_proj", path + ".self_attn.o_proj", LayerType.Linear, d, d, false, i);
            builder.Layer(name + ".mlp", path + ".mlp", LayerType.Container, 0, 0, i);
            builder.Affine(name + ".mlp.gate_proj", path + ".mlp.gate_proj", LayerType.Linear, d, ffn, false, i);
            builder.Affine(name + ".mlp.up_proj", path + ".mlp.up_proj", LayerType.Linear, d, ffn, false, i);
            builder.Affine(name + ".mlp.down_proj", path + ".mlp.down_proj", LayerType.Linear, ffn, d, false, i);
            builder.Norm(name + ".input_layernorm", path + ".input_layernorm", LayerType.RmsNorm, d, i);
            builder.Norm(name + ".post_attention_layernorm", path + ".post_attention_layernorm", LayerType.RmsNorm, d, i);
        }
        builder.Norm("model.norm", "model.norm", LayerType.RmsNorm, d, -1);
        builder.Layer("lm_head", "lm_head", LayerType.Linear, d, spec.Vocab, -1, tied: spec.TieEmbeddings);
        if (!spec.TieEmbeddings) builder.Parameter("lm_head.weight", "lm_head.weight", false, spec.Vocab * d);
        return builder.Build(spec.Type.FullyQualifiedName, ModelFamily.Llama, spec.ParameterCount, spec.Dim, spec.Context, spec.Heads, spec.Layers);
    }

    /// <summary>A custom <c>[Model]</c>: what its layout lists. Not a causal LM to the runtime (its Forward is the user's).</summary>
    public static ModelDescription Describe(ClassSpec spec, ParameterLayout layout) =>
        new(spec.Type.FullyQualifiedName, ModelFamily.Custom, false,
            layout.Parameters.Sum(p => p.ElementCount), 0, 0, 0,
            layout.Layers.Where(l => l.BlockIndex >= 0).Select(l => l.BlockIndex).DefaultIfEmpty(-1).Max() + 1,
            layout.Layers.ToEquatableArray(),
            layout.Parameters.Select(p => new ParameterRef(p.Name, p.AccessPath, p.ElementCount, p.IsBias, p.IsReachable)).ToEquatableArray());

    sealed class Builder
    {
        readonly List<LayerEntry> _layers = new();
        readonly List<ParameterRef> _parameters = new();

        public void Layer(string name, string path, LayerType type, long inFeatures, long outFeatures, int block = -1, bool tied = false) =>
            _layers.Add(new LayerEntry(name, path, type, inFeatures, outFeatures, block, true, tied));

        public void Parameter(string name, string path, bool isBias, long count) =>
            _parameters.Add(new ParameterRef(name, path, count, isBias, true));

        public void Norm(string name, string path, LayerType type, long dim, int block)
        {
            Layer(name, path, type, dim, dim, block);
            Parameter(name + ".weight", path + ".weight", false, dim);
            if (type == LayerType.LayerNorm) Parameter(name + ".bias", path + ".bias", true, dim);
        }

        public void Affine(string name, string path, LayerType type, long inFeatures, long outFeatures, bool bias, int block)
        {
            Layer(name, path, type, inFeatures, outFeatures, block);
            Parameter(name + ".weight", path + ".weight", false, inFeatures * outFeatures);
            if (bias) Parameter(name + ".bias", path + ".bias!", true, outFeatures);
        }

        public ModelDescription Build(string typeName, ModelFamily family, long total, int dim, int context, int heads, int blocks) =>
            new(typeName, family, true, total, dim, context, heads, blocks, _layers.ToEquatableArray(), _parameters.ToEquatableArray());
    }
}
