using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Llama (Llama 2, Llama 3.x), as Hugging Face's <c>LlamaForCausalLM</c>: RMSNorm, rotary positions (optionally with Llama 3's scaling), grouped-query attention and a SwiGLU feed-forward.
/// </summary>
public class LlamaForCausalLM : DecoderForCausalLM<ProjectedAttention, GatedMlp>
{
    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public LlamaForCausalLM(LlamaConfig config, Device? device = null, ScalarType? dtype = null)
        : base(config, nameof(LlamaForCausalLM), device, dtype)
    {
    }

    /// <summary>The sizes this model was built with.</summary>
    public LlamaConfig Config => (LlamaConfig)BaseConfig;
}
