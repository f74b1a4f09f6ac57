using System.Collections.Generic;

namespace ModelDsl.Families;

/// <summary>What a module of a family model is, as far as counting, loading and PEFT care.</summary>
internal enum ModuleKind
{
    /// <summary>A lookup table, weight <c>[count, dim]</c>.</summary>
    Embedding,
    /// <summary>PyTorch's linear layer, weight <c>[out, in]</c>.</summary>
    Linear,
    /// <summary>GPT-2's Conv1D, weight <c>[in, out]</c>.</summary>
    Conv1D,
    /// <summary>LayerNorm: weight and bias <c>[dim]</c>.</summary>
    LayerNorm,
    /// <summary>RMSNorm: weight <c>[dim]</c>.</summary>
    RmsNorm,
    /// <summary>A block, an attention or an MLP: holds other modules.</summary>
    Container,
}

/// <summary>One module of a family model, named as in Hugging Face's state dict.</summary>
/// <param name="Name">E.g. <c>model.layers.0.self_attn.q_proj</c>.</param>
/// <param name="Kind">What it is.</param>
/// <param name="InFeatures">Input width (an embedding's: its width; a norm's: its width).</param>
/// <param name="OutFeatures">Output width (an embedding's: its row count; a norm's: its width).</param>
/// <param name="HasBias">A linear layer with a bias.</param>
/// <param name="Block">The decoder block it belongs to, or -1.</param>
/// <param name="IsTied">A head that uses the token embedding's weight (no parameter of its own).</param>
/// <param name="IsOptionalMember">The runtime holds it in a nullable member (a family-specific part, e.g. Qwen3's q_norm).</param>
internal sealed record FamilyModule(string Name, ModuleKind Kind, long InFeatures, long OutFeatures, bool HasBias, int Block, bool IsTied, bool IsOptionalMember);

/// <summary>One parameter of a family model: its state-dict name, its shape and its element count.</summary>
/// <param name="Name">E.g. <c>model.layers.0.self_attn.q_proj.weight</c>.</param>
/// <param name="Module">The module that holds it.</param>
/// <param name="Shape">Its shape, as the runtime and Hugging Face store it.</param>
/// <param name="Count">Its element count (a double, so that estimates of absurd sizes cannot overflow).</param>
/// <param name="IsBias">A bias (what BitFit trains).</param>
internal sealed record FamilyParameter(string Name, FamilyModule Module, long[] Shape, double Count, bool IsBias);

/// <summary>
/// The modules and parameters of a family model, in the order the runtime registers them (Hugging Face's order), and
/// the parameter count they add up to. The generator's constants and LoRA/selective checks, the runtime's modules and
/// the META listings all follow this one list.
/// </summary>
internal static class FamilyModules
{
    /// <summary>Every module, containers included, in registration order.</summary>
    public static List<FamilyModule> Modules(FamilyShape shape)
    {
        var modules = new List<FamilyModule>();
        if (shape.Family == FamilyKind.Gpt2) Gpt2(shape, modules);
        else Decoder(shape, modules);
        return modules;
    }

    /// <summary>
    /// Every parameter, in registration order. With <paramref name="estimateOnly"/>, one block stands for all of them
    /// (its counts multiplied by the layer count), so estimating any size allocates next to nothing.
    /// </summary>
    public static List<FamilyParameter> Parameters(FamilyShape shape, bool estimateOnly = false)
    {
        var parameters = new List<FamilyParameter>();
        if (estimateOnly && shape.Layers > 1)
        {
            var one = shape with { Layers = 1 };
            foreach (var parameter in Parameters(one))
                parameters.Add(parameter.Module.Block >= 0 ? parameter with { Count = parameter.Count * shape.Layers } : parameter);
            return parameters;
        }
        foreach (var module in Modules(shape))
        {
            if (module.IsTied) continue;
            switch (module.Kind)
            {
                case ModuleKind.Embedding:
                    Add(module, ".weight", new[] { module.OutFeatures, module.InFeatures }, false);
                    break;
                case ModuleKind.Linear:
                    Add(module, ".weight", new[] { module.OutFeatures, module.InFeatures }, false);
                    if (module.HasBias) Add(module, ".bias", new[] { module.OutFeatures }, true);
                    break;
                case ModuleKind.Conv1D:
                    Add(module, ".weight", new[] { module.InFeatures, module.OutFeatures }, false);
                    if (module.HasBias) Add(module, ".bias", new[] { module.OutFeatures }, true);
                    break;
                case ModuleKind.LayerNorm:
                    Add(module, ".weight", new[] { module.OutFeatures }, false);
                    Add(module, ".bias", new[] { module.OutFeatures }, true);
                    break;
                case ModuleKind.RmsNorm:
                    Add(module, ".weight", new[] { module.OutFeatures }, false);
                    break;
            }
        }
        return parameters;

        void Add(FamilyModule module, string suffix, long[] dims, bool isBias)
        {
            double count = 1;
            foreach (var d in dims) count *= d;
            parameters.Add(new FamilyParameter(module.Name + suffix, module, dims, count, isBias));
        }
    }

    /// <summary>The exact parameter count of a valid shape (a tied head counted once).</summary>
    public static long ParameterCount(FamilyShape shape)
    {
        long total = 0;
        foreach (var parameter in Parameters(shape))
        {
            long count = 1;
            foreach (var d in parameter.Shape) count *= d;
            total += count;
        }
        return total;
    }

    static long Saturate(double value) => value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value;

    static void Gpt2(FamilyShape shape, List<FamilyModule> modules)
    {
        long d = shape.Dim;
        modules.Add(new("transformer.wte", ModuleKind.Embedding, d, shape.Vocab, false, -1, false, false));
        modules.Add(new("transformer.wpe", ModuleKind.Embedding, d, shape.Context, false, -1, false, false));
        for (int i = 0; i < shape.Layers; i++)
        {
            string block = $"transformer.h.{i}";
            modules.Add(new(block, ModuleKind.Container, 0, 0, false, i, false, false));
            modules.Add(new(block + ".ln_1", ModuleKind.LayerNorm, d, d, true, i, false, false));
            modules.Add(new(block + ".attn", ModuleKind.Container, 0, 0, false, i, false, false));
            modules.Add(new(block + ".attn.c_attn", ModuleKind.Conv1D, d, 3 * d, true, i, false, false));
            modules.Add(new(block + ".attn.c_proj", ModuleKind.Conv1D, d, d, true, i, false, false));
            modules.Add(new(block + ".ln_2", ModuleKind.LayerNorm, d, d, true, i, false, false));
            modules.Add(new(block + ".mlp", ModuleKind.Container, 0, 0, false, i, false, false));
            modules.Add(new(block + ".mlp.c_fc", ModuleKind.Conv1D, d, 4 * d, true, i, false, false));
            modules.Add(new(block + ".mlp.c_proj", ModuleKind.Conv1D, 4 * d, d, true, i, false, false));
        }
        modules.Add(new("transformer.ln_f", ModuleKind.LayerNorm, d, d, true, -1, false, false));
        modules.Add(new("lm_head", ModuleKind.Linear, d, shape.Vocab, false, -1, true, false));
    }

    static void Decoder(FamilyShape shape, List<FamilyModule> modules)
    {
        var traits = shape.Traits;
        // Saturating products: an absurd declaration must still estimate as absurdly large, never wrap to a small count.
        long d = shape.Dim, hd = shape.HeadWidth, ffn = shape.Ffn;
        long q = Saturate((double)shape.Heads * hd), kv = Saturate((double)shape.KvHeads * hd), qkv = Saturate((double)q + 2.0 * kv);
        modules.Add(new("model.embed_tokens", ModuleKind.Embedding, d, shape.Vocab, false, -1, false, false));
        for (int i = 0; i < shape.Layers; i++)
        {
            string block = $"model.layers.{i}", attention = block + ".self_attn", mlp = block + ".mlp";
            modules.Add(new(block, ModuleKind.Container, 0, 0, false, i, false, false));
            modules.Add(new(attention, ModuleKind.Container, 0, 0, false, i, false, false));
            if (traits.FusedProjections)
            {
                // Phi-3 registers o_proj before qkv_proj; the state dict lists them so.
                modules.Add(new(attention + ".o_proj", ModuleKind.Linear, q, d, false, i, false, false));
                modules.Add(new(attention + ".qkv_proj", ModuleKind.Linear, d, qkv, false, i, false, false));
            }
            else
            {
                modules.Add(new(attention + ".q_proj", ModuleKind.Linear, d, q, traits.QkvBias, i, false, false));
                modules.Add(new(attention + ".k_proj", ModuleKind.Linear, d, kv, traits.QkvBias, i, false, false));
                modules.Add(new(attention + ".v_proj", ModuleKind.Linear, d, kv, traits.QkvBias, i, false, false));
                modules.Add(new(attention + ".o_proj", ModuleKind.Linear, q, d, false, i, false, false));
                if (traits.QkNorm)
                {
                    modules.Add(new(attention + ".q_norm", ModuleKind.RmsNorm, hd, hd, false, i, false, true));
                    modules.Add(new(attention + ".k_norm", ModuleKind.RmsNorm, hd, hd, false, i, false, true));
                }
            }
            modules.Add(new(mlp, ModuleKind.Container, 0, 0, false, i, false, false));
            if (traits.FusedProjections)
            {
                modules.Add(new(mlp + ".gate_up_proj", ModuleKind.Linear, d, 2 * ffn, false, i, false, false));
            }
            else
            {
                modules.Add(new(mlp + ".gate_proj", ModuleKind.Linear, d, ffn, false, i, false, false));
                modules.Add(new(mlp + ".up_proj", ModuleKind.Linear, d, ffn, false, i, false, false));
            }
            modules.Add(new(mlp + ".down_proj", ModuleKind.Linear, ffn, d, false, i, false, false));
            modules.Add(new(block + ".input_layernorm", ModuleKind.RmsNorm, d, d, false, i, false, false));
            modules.Add(new(block + ".post_attention_layernorm", ModuleKind.RmsNorm, d, d, false, i, false, false));
        }
        modules.Add(new("model.norm", ModuleKind.RmsNorm, d, d, false, -1, false, false));
        modules.Add(new("lm_head", ModuleKind.Linear, d, shape.Vocab, false, -1, shape.TieEmbeddings, false));
    }
}
