using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Qwen2 and Qwen2.5, as Hugging Face's <c>Qwen2ForCausalLM</c>: Llama's layers with a bias on <c>q_proj</c>, <c>k_proj</c> and <c>v_proj</c>, and an optional sliding window from <c>max_window_layers</c> on.
/// </summary>
public class Qwen2ForCausalLM : DecoderForCausalLM<ProjectedAttention, GatedMlp>
{
    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public Qwen2ForCausalLM(Qwen2Config config, Device? device = null, ScalarType? dtype = null)
        : base(config, nameof(Qwen2ForCausalLM), device, dtype)
    {
    }

    /// <summary>The sizes this model was built with.</summary>
    public Qwen2Config Config => (Qwen2Config)BaseConfig;
}
