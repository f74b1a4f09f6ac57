using System.Collections.Generic;

namespace ModelDsl.Families;

/// <summary>Which layers of a family may use a sliding attention window.</summary>
internal enum SlidingWindowMode
{
    /// <summary>The family has no sliding window (GPT-2, Llama, Gemma).</summary>
    None,
    /// <summary><c>sliding_window</c> applies to every layer (Mistral, Phi-3).</summary>
    AllLayers,
    /// <summary>
    /// With <c>use_sliding_window</c>, layers from index <c>max_window_layers</c> on use <c>sliding_window</c>;
    /// the first ones attend fully (Qwen2, Qwen3).
    /// </summary>
    FromLayer,
}

/// <summary>
/// What one family contributes to the shared decoder: its names and the few ways its math differs from Llama's.
/// Written once, read by the generator (layout, constants, defaults) and the runtime (modules, config.json).
/// </summary>
/// <param name="Kind">The family.</param>
/// <param name="ModelType">Hugging Face's <c>model_type</c> in <c>config.json</c>.</param>
/// <param name="Architecture">Hugging Face's class, written to <c>architectures</c>.</param>
/// <param name="DisplayName">The family's name in messages and docs.</param>
/// <param name="AttributeName">The ModelDsl attribute that declares it, without "Attribute".</param>
/// <param name="QkvBias">q_proj, k_proj and v_proj have a bias (Qwen2).</param>
/// <param name="QkNorm">A per-head RMSNorm on queries and keys before the rotation (Qwen3's q_norm, k_norm).</param>
/// <param name="FusedProjections">One qkv_proj and one gate_up_proj (Phi-3).</param>
/// <param name="UnitOffsetNorm">RMSNorm scales by (1 + weight), computed in fp32 (Gemma).</param>
/// <param name="ScaledEmbeddings">Embeddings are multiplied by √hidden_size in the model dtype (Gemma).</param>
/// <param name="Sliding">Where a sliding window can apply.</param>
/// <param name="DefaultLoraTargets">PEFT's default <c>target_modules</c> for the family.</param>
internal sealed record FamilyTraits(
    FamilyKind Kind,
    string ModelType,
    string Architecture,
    string DisplayName,
    string AttributeName,
    bool QkvBias,
    bool QkNorm,
    bool FusedProjections,
    bool UnitOffsetNorm,
    bool ScaledEmbeddings,
    SlidingWindowMode Sliding,
    IReadOnlyList<string> DefaultLoraTargets)
{
    /// <summary>GPT-2 has learned positions, LayerNorm and Conv1D; every other family is a rotary decoder.</summary>
    public bool IsRotary => Kind != FamilyKind.Gpt2;

    static readonly string[] QueryValue = { "q_proj", "v_proj" };

    /// <summary>Every family, in declaration order.</summary>
    public static readonly IReadOnlyList<FamilyTraits> All = new FamilyTraits[]
    {
        new(FamilyKind.Gpt2, "gpt2", "GPT2LMHeadModel", "GPT-2", "Gpt2", false, false, false, false, false, SlidingWindowMode.None, new[] { "c_attn" }),
        new(FamilyKind.Llama, "llama", "LlamaForCausalLM", "Llama", "Llama", false, false, false, false, false, SlidingWindowMode.None, QueryValue),
        new(FamilyKind.Mistral, "mistral", "MistralForCausalLM", "Mistral", "Mistral", false, false, false, false, false, SlidingWindowMode.AllLayers, QueryValue),
        new(FamilyKind.Qwen2, "qwen2", "Qwen2ForCausalLM", "Qwen2", "Qwen2", true, false, false, false, false, SlidingWindowMode.FromLayer, QueryValue),
        new(FamilyKind.Qwen3, "qwen3", "Qwen3ForCausalLM", "Qwen3", "Qwen3", false, true, false, false, false, SlidingWindowMode.FromLayer, QueryValue),
        new(FamilyKind.Phi3, "phi3", "Phi3ForCausalLM", "Phi-3", "Phi3", false, false, true, false, false, SlidingWindowMode.AllLayers, new[] { "qkv_proj" }),
        new(FamilyKind.Gemma, "gemma", "GemmaForCausalLM", "Gemma", "Gemma", false, false, false, true, true, SlidingWindowMode.None, QueryValue),
    };

    /// <summary>The traits of <paramref name="kind"/>.</summary>
    public static FamilyTraits Of(FamilyKind kind) => All[(int)kind];

    /// <summary>The family whose <c>model_type</c> is <paramref name="modelType"/>, if ModelDsl has it.</summary>
    public static FamilyTraits? ByModelType(string modelType)
    {
        foreach (var traits in All)
            if (traits.ModelType == modelType) return traits;
        return null;
    }
}
