namespace ModelDsl.Families;

/// <summary>The model families ModelDsl builds, each as Hugging Face transformers computes it.</summary>
internal enum FamilyKind
{
    /// <summary><c>GPT2LMHeadModel</c> (<c>model_type</c> "gpt2").</summary>
    Gpt2,
    /// <summary><c>LlamaForCausalLM</c> ("llama").</summary>
    Llama,
    /// <summary><c>MistralForCausalLM</c> ("mistral").</summary>
    Mistral,
    /// <summary><c>Qwen2ForCausalLM</c> ("qwen2").</summary>
    Qwen2,
    /// <summary><c>Qwen3ForCausalLM</c> ("qwen3").</summary>
    Qwen3,
    /// <summary><c>Phi3ForCausalLM</c> ("phi3").</summary>
    Phi3,
    /// <summary><c>GemmaForCausalLM</c> ("gemma", the first Gemma).</summary>
    Gemma,
}

/// <summary>The activation of a family's MLP, by Hugging Face's <c>hidden_act</c> name.</summary>
internal enum FamilyActivation
{
    /// <summary><c>silu</c> (also <c>swish</c>).</summary>
    Silu,
    /// <summary><c>gelu</c>: the exact (erf) GELU.</summary>
    Gelu,
    /// <summary><c>gelu_pytorch_tanh</c> / <c>gelu_new</c>: GELU with the tanh approximation.</summary>
    GeluTanh,
    /// <summary><c>relu</c>.</summary>
    Relu,
}

/// <summary>How rotary frequencies are rescaled for long contexts (<c>rope_scaling.rope_type</c>).</summary>
internal enum RopeKind
{
    /// <summary><c>linear</c>: every frequency divided by the factor.</summary>
    Linear,
    /// <summary><c>llama3</c>: low frequencies divided by the factor, high ones kept, a smooth band between.</summary>
    Llama3,
}

/// <summary>
/// Rotary scaling as Hugging Face's <c>rope_scaling</c> object holds it.
/// </summary>
/// <param name="Kind">The rope type.</param>
/// <param name="Factor"><c>factor</c>: how much longer the context is than in pretraining.</param>
/// <param name="LowFreqFactor"><c>low_freq_factor</c> (llama3 only).</param>
/// <param name="HighFreqFactor"><c>high_freq_factor</c> (llama3 only).</param>
/// <param name="OriginalContext"><c>original_max_position_embeddings</c> (llama3 only).</param>
internal sealed record RopeScalingShape(RopeKind Kind, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalContext)
{
    /// <summary>Linear scaling by <paramref name="factor"/> (the llama3 fields are unused and zero).</summary>
    public static RopeScalingShape Linear(double factor) => new(RopeKind.Linear, factor, 0, 0, 0);
}
