using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Qwen3, as Hugging Face's <c>Qwen3ForCausalLM</c>: Llama's layers with a per-head RMSNorm on queries and keys (<c>q_norm</c>, <c>k_norm</c>) before the rotation, and an optional sliding window.
/// </summary>
public class Qwen3ForCausalLM : DecoderForCausalLM<ProjectedAttention, GatedMlp>
{
    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public Qwen3ForCausalLM(Qwen3Config config, Device? device = null, ScalarType? dtype = null)
        : base(config, nameof(Qwen3ForCausalLM), device, dtype)
    {
    }

    /// <summary>The sizes this model was built with.</summary>
    public Qwen3Config Config => (Qwen3Config)BaseConfig;
}
