using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Phi-3, as Hugging Face's <c>Phi3ForCausalLM</c>: fused <c>qkv_proj</c> and <c>gate_up_proj</c>, an untied head and a sliding attention window.
/// </summary>
public class Phi3ForCausalLM : DecoderForCausalLM<FusedAttention, FusedGatedMlp>
{
    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public Phi3ForCausalLM(Phi3Config config, Device? device = null, ScalarType? dtype = null)
        : base(config, nameof(Phi3ForCausalLM), device, dtype)
    {
    }

    /// <summary>The sizes this model was built with.</summary>
    public Phi3Config Config => (Phi3Config)BaseConfig;
}
