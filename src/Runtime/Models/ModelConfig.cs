using System.Collections.Generic;
using System.Linq;
using ModelDsl.Families;

namespace ModelDsl.Models;

/// <summary>
/// The sizes and settings of a family model, as plain data (reading and writing <c>config.json</c> lives in
/// <c>ModelDsl.IO</c>). The bounds, the parameter count and the module list come from the rules ModelDsl's generator
/// uses for the same declarations, so a config the runtime accepts is one the analyzers accept, with the same count.
/// </summary>
public abstract record ModelConfig
{
    private protected ModelConfig() { }

    /// <summary>The family's shape, for the shared rules and the module builders.</summary>
    internal abstract FamilyShape ToShape();

    /// <summary>Hugging Face's <c>model_type</c> for this family (e.g. "llama").</summary>
    public string ModelType => FamilyTraits.Of(ToShape().Family).ModelType;

    /// <summary>Number of parameters (a tied head counted once).</summary>
    public long ParameterCount => (long)FamilyRules.EstimateParameters(ToShape());

    /// <summary>Throws <see cref="ModelConfigException"/> naming the first field whose value is impossible.</summary>
    public void Validate()
    {
        var shape = ToShape();
        var problems = FamilyRules.Check(shape, argument => FamilyArguments.FieldOf(shape.Family, argument));
        if (problems.Count == 0) return;
        var first = problems[0];
        var field = first.Argument.Length == 0 ? null : FamilyArguments.FieldOf(shape.Family, first.Argument);
        throw new ModelConfigException(first.Kind == FamilyProblemKind.TooLarge ? first.Message : "Config field " + first.Message, field: field);
    }

    /// <summary>The runtime config for a shape read from a file or declared by an attribute.</summary>
    internal static ModelConfig FromShape(FamilyShape shape)
    {
        var scaling = shape.RopeScaling is { } rope
            ? new Layers.RotaryScaling(rope.Kind == RopeKind.Linear ? Layers.RotaryScalingType.Linear : Layers.RotaryScalingType.Llama3,
                rope.Factor, rope.LowFreqFactor, rope.HighFreqFactor, rope.OriginalContext)
            : null;
        var (l, d, h, kv, hd, f, v, c) = (shape.Layers, shape.Dim, shape.Heads, shape.KvHeads, shape.HeadDim, shape.Ffn, shape.Vocab, shape.Context);
        return shape.Family switch
        {
            FamilyKind.Gpt2 => new Gpt2Config(l, d, h, v, c, shape.NormEps),
            FamilyKind.Llama => new LlamaConfig(l, d, h, kv, f, v, c, shape.RopeTheta, shape.TieEmbeddings, shape.NormEps, hd, scaling),
            FamilyKind.Mistral => new MistralConfig(l, d, h, kv, f, v, c, shape.RopeTheta, shape.TieEmbeddings, shape.NormEps, hd, scaling, shape.SlidingWindow),
            FamilyKind.Qwen2 => new Qwen2Config(l, d, h, kv, f, v, c, shape.RopeTheta, shape.TieEmbeddings, shape.NormEps, hd, scaling, shape.SlidingWindow, shape.FirstSlidingLayer),
            FamilyKind.Qwen3 => new Qwen3Config(l, d, h, kv, f, v, c, shape.RopeTheta, shape.TieEmbeddings, shape.NormEps, hd, scaling, shape.SlidingWindow, shape.FirstSlidingLayer),
            FamilyKind.Phi3 => new Phi3Config(l, d, h, kv, f, v, c, shape.RopeTheta, shape.TieEmbeddings, shape.NormEps, hd, scaling, shape.SlidingWindow),
            _ => new GemmaConfig(l, d, h, kv, f, v, c, shape.RopeTheta, shape.TieEmbeddings, shape.NormEps, hd, scaling,
                shape.Activation switch
                {
                    FamilyActivation.Gelu => Activation.Gelu,
                    FamilyActivation.Relu => Activation.Relu,
                    FamilyActivation.Silu => Activation.Silu,
                    _ => Activation.GeluTanh,
                }),
        };
    }

    /// <summary>A freshly initialised model of this family and these sizes (Hugging Face's initialisation).</summary>
    /// <param name="device">Where to allocate the parameters (<c>torch.META</c> allocates nothing).</param>
    /// <param name="dtype">Parameter type (default: float32).</param>
    public DecoderLanguageModel CreateModel(TorchSharp.torch.Device? device = null, TorchSharp.torch.ScalarType? dtype = null) => this switch
    {
        Gpt2Config gpt2 => new Gpt2LMHeadModel(gpt2, device, dtype),
        LlamaConfig llama => new LlamaForCausalLM(llama, device, dtype),
        MistralConfig mistral => new MistralForCausalLM(mistral, device, dtype),
        Qwen2Config qwen2 => new Qwen2ForCausalLM(qwen2, device, dtype),
        Qwen3Config qwen3 => new Qwen3ForCausalLM(qwen3, device, dtype),
        Phi3Config phi3 => new Phi3ForCausalLM(phi3, device, dtype),
        GemmaConfig gemma => new GemmaForCausalLM(gemma, device, dtype),
        _ => throw new System.NotSupportedException($"No model for {GetType().Name}."),
    };

    /// <summary>Lists <c>field: the model has …, the file has …</c> for every setting that changes the math.</summary>
    internal List<string> DifferencesFrom(ModelConfig other) => ConfigDifferences.Between(ToShape(), other.ToShape());
}
