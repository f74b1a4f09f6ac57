using System;
using System.Collections.Generic;
using ModelDsl.Families;
using ModelDsl.Models;

namespace ModelDsl.IO;

/// <summary>
/// Hugging Face <c>config.json</c> for every model family: reading it (each family's field names, Hugging Face's defaults
/// for absent fields, and a <see cref="ModelConfigException"/> naming every field whose value ModelDsl would compute
/// differently) and writing it as <c>save_pretrained</c> does. The generator's <c>[FromConfig]</c> reads files with the
/// same rules.
/// </summary>
public static class ModelConfigJson
{
    /// <summary>
    /// Reads any family's <c>config.json</c> text, chosen by its <c>model_type</c>; <paramref name="source"/> names it in errors.
    /// </summary>
    /// <exception cref="ModelConfigException">The text is not a config ModelDsl can build, with the field named.</exception>
    public static ModelConfig Parse(string json, string source = "config.json")
    {
        using var config = ConfigJson.Parse(json, source);
        return Read(config, null);
    }

    /// <summary>
    /// Reads <c>config.json</c> text as <typeparamref name="TConfig"/>'s family (a file without <c>model_type</c> is taken
    /// to be that family, as older GPT-2 files are); <paramref name="source"/> names it in errors.
    /// </summary>
    /// <exception cref="ModelConfigException">The text describes another family, or is not a config ModelDsl can build.</exception>
    public static TConfig Parse<TConfig>(string json, string source = "config.json") where TConfig : ModelConfig
    {
        using var config = ConfigJson.Parse(json, source);
        return As<TConfig>(Read(config, FamilyOf(typeof(TConfig))), source);
    }

    /// <summary>Reads any family's <c>config.json</c> file.</summary>
    /// <exception cref="System.IO.FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelConfigException">The file is not a config ModelDsl can build, with the field named.</exception>
    public static ModelConfig Load(string path)
    {
        using var config = ConfigJson.Load(path);
        return Read(config, null);
    }

    /// <summary>Reads a <c>config.json</c> file as <typeparamref name="TConfig"/>'s family.</summary>
    /// <exception cref="System.IO.FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelConfigException">The file describes another family, or is not a config ModelDsl can build.</exception>
    public static TConfig Load<TConfig>(string path) where TConfig : ModelConfig
    {
        using var config = ConfigJson.Load(path);
        return As<TConfig>(Read(config, FamilyOf(typeof(TConfig))), config.Source);
    }

    internal static ModelConfig Read(ConfigJson config, FamilyKind? expected)
    {
        var (shape, problem) = FamilyConfigReader.Read(config.Root, expected);
        if (problem is not null) throw new ModelConfigException(problem.Describe(config.Source), field: problem.Field.Length == 0 ? null : problem.Field);
        return ModelConfig.FromShape(shape!);
    }

    static TConfig As<TConfig>(ModelConfig config, string source) where TConfig : ModelConfig =>
        config as TConfig ?? throw new ModelConfigException(
            $"{source} describes a \"{config.ModelType}\" model, which is not a {typeof(TConfig).Name}.", field: "model_type");

    /// <summary>The family a config type stands for, or null for the abstract ones (any family).</summary>
    internal static FamilyKind? FamilyOf(Type configType) => configType.Name switch
    {
        nameof(Gpt2Config) => FamilyKind.Gpt2,
        nameof(LlamaConfig) => FamilyKind.Llama,
        nameof(MistralConfig) => FamilyKind.Mistral,
        nameof(Qwen2Config) => FamilyKind.Qwen2,
        nameof(Qwen3Config) => FamilyKind.Qwen3,
        nameof(Phi3Config) => FamilyKind.Phi3,
        nameof(GemmaConfig) => FamilyKind.Gemma,
        _ => null,
    };

    /// <summary>
    /// The <c>config.json</c> text Hugging Face's class for this family reads back to the same model: every field that
    /// decides the math is written, including the ones ModelDsl requires to be off (biases, dropout, scaling).
    /// </summary>
    public static string ToJson(this ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var shape = config.ToShape();
        return ConfigJson.Write(shape.Family == FamilyKind.Gpt2 ? Gpt2Fields(shape) : DecoderFields(shape));
    }

    static List<KeyValuePair<string, object?>> Gpt2Fields(FamilyShape shape) =>
    [
        new("architectures", new[] { shape.Traits.Architecture }),
        new("model_type", shape.Traits.ModelType),
        new("n_layer", shape.Layers),
        new("n_embd", shape.Dim),
        new("n_head", shape.Heads),
        new("vocab_size", shape.Vocab),
        new("n_positions", shape.Context),
        new("n_ctx", shape.Context),
        new("layer_norm_epsilon", shape.NormEps),
        new("activation_function", "gelu_new"),
        new("n_inner", null),
        new("tie_word_embeddings", true),
    ];

    static List<KeyValuePair<string, object?>> DecoderFields(FamilyShape shape)
    {
        var traits = shape.Traits;
        var fields = new List<KeyValuePair<string, object?>>
        {
            new("architectures", new[] { traits.Architecture }),
            new("model_type", traits.ModelType),
            new("num_hidden_layers", shape.Layers),
            new("hidden_size", shape.Dim),
            new("num_attention_heads", shape.Heads),
            new("num_key_value_heads", shape.KvHeads),
        };
        // Written only when given: head_dim = hidden_size / num_attention_heads is what every family derives without it.
        if (shape.HeadDim != 0) fields.Add(new("head_dim", shape.HeadDim));
        fields.Add(new("intermediate_size", shape.Ffn));
        fields.Add(new("vocab_size", shape.Vocab));
        fields.Add(new("max_position_embeddings", shape.Context));
        fields.Add(new("rope_theta", shape.RopeTheta));
        fields.Add(new("rope_scaling", RopeScaling(shape.RopeScaling)));
        fields.Add(new("tie_word_embeddings", shape.TieEmbeddings));
        fields.Add(new("rms_norm_eps", shape.NormEps));
        var activation = shape.Activation switch
        {
            FamilyActivation.Gelu => "gelu",
            FamilyActivation.GeluTanh => "gelu_pytorch_tanh",
            FamilyActivation.Relu => "relu",
            _ => "silu",
        };
        fields.Add(new("hidden_act", activation));
        if (traits.Kind == FamilyKind.Gemma) fields.Add(new("hidden_activation", activation));
        fields.Add(new("attention_dropout", 0.0));
        if (traits.Kind is FamilyKind.Llama or FamilyKind.Qwen3 or FamilyKind.Gemma) fields.Add(new("attention_bias", false));
        if (traits.Kind == FamilyKind.Llama) fields.Add(new("mlp_bias", false));
        switch (traits.Sliding)
        {
            case SlidingWindowMode.AllLayers:
                fields.Add(new("sliding_window", shape.SlidingWindow > 0 ? shape.SlidingWindow : null));
                break;
            case SlidingWindowMode.FromLayer:
                fields.Add(new("use_sliding_window", shape.SlidingWindow > 0));
                fields.Add(new("sliding_window", shape.SlidingWindow > 0 ? shape.SlidingWindow : null));
                fields.Add(new("max_window_layers", shape.FirstSlidingLayer));
                break;
        }
        if (traits.Kind == FamilyKind.Phi3)
        {
            fields.Add(new("resid_pdrop", 0.0));
            fields.Add(new("embd_pdrop", 0.0));
        }
        return fields;
    }

    static List<KeyValuePair<string, object?>>? RopeScaling(RopeScalingShape? scaling) => scaling switch
    {
        null => null,
        { Kind: RopeKind.Linear } => [new("rope_type", "linear"), new("factor", scaling.Factor)],
        _ =>
        [
            new("rope_type", "llama3"),
            new("factor", scaling.Factor),
            new("low_freq_factor", scaling.LowFreqFactor),
            new("high_freq_factor", scaling.HighFreqFactor),
            new("original_max_position_embeddings", scaling.OriginalContext),
        ],
    };
}
