using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Mistral, as Hugging Face's <c>MistralForCausalLM</c>: Llama's layers with a sliding attention window in every layer.
/// </summary>
public class MistralForCausalLM : DecoderForCausalLM<ProjectedAttention, GatedMlp>
{
    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public MistralForCausalLM(MistralConfig config, Device? device = null, ScalarType? dtype = null)
        : base(config, nameof(MistralForCausalLM), device, dtype)
    {
    }

    /// <summary>The sizes this model was built with.</summary>
    public MistralConfig Config => (MistralConfig)BaseConfig;
}
