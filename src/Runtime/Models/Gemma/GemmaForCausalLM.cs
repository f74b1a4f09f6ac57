using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Gemma (the first), as Hugging Face's <c>GemmaForCausalLM</c>: RMSNorm scaled by <c>1 + weight</c>, embeddings multiplied by √hidden_size, a GELU-gated MLP and a tied head.
/// </summary>
public class GemmaForCausalLM : DecoderForCausalLM<ProjectedAttention, GatedMlp>
{
    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public GemmaForCausalLM(GemmaConfig config, Device? device = null, ScalarType? dtype = null)
        : base(config, nameof(GemmaForCausalLM), device, dtype)
    {
    }

    /// <summary>The sizes this model was built with.</summary>
    public GemmaConfig Config => (GemmaConfig)BaseConfig;
}
