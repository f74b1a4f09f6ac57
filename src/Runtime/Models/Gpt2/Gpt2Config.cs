using System.Collections.Generic;

namespace ModelDsl.Models;

/// <summary>
/// Sizes of a GPT-2 model, as Hugging Face's <c>GPT2Config</c> names them in <c>config.json</c>:
/// <c>n_layer</c>, <c>n_embd</c>, <c>n_head</c>, <c>vocab_size</c>, <c>n_positions</c> (alias <c>n_ctx</c>),
/// <c>layer_norm_epsilon</c>. The MLP is 4·Dim wide with GELU (tanh approximation).
/// </summary>
/// <param name="Layers">Transformer blocks (<c>n_layer</c>).</param>
/// <param name="Dim">Model width (<c>n_embd</c>).</param>
/// <param name="Heads">Attention heads (<c>n_head</c>); must divide <paramref name="Dim"/>.</param>
/// <param name="Vocab">Vocabulary size (<c>vocab_size</c>).</param>
/// <param name="Context">Context window, the number of learned positions (<c>n_positions</c>).</param>
/// <param name="NormEps">Layer-norm stability term (<c>layer_norm_epsilon</c>).</param>
public sealed record Gpt2Config(int Layers, int Dim, int Heads, int Vocab, int Context, double NormEps = 1e-5)
{
    /// <summary>The <c>model_type</c> written to and expected in <c>config.json</c>.</summary>
    public const string ModelType = "gpt2";

    /// <summary>Width of one attention head.</summary>
    public int HeadDim => Dim / Heads;

    /// <summary>Number of parameters (the output head is tied to the token embedding and not counted twice).</summary>
    public long ParameterCount => (long)ParameterCountEstimate;

    double ParameterCountEstimate
    {
        get
        {
            double d = Dim, l = Layers;
            var block = 2 * 2 * d                  // ln_1, ln_2
                      + d * 3 * d + 3 * d          // c_attn
                      + d * d + d                  // attn.c_proj
                      + d * 4 * d + 4 * d          // c_fc
                      + 4 * d * d + d;             // mlp.c_proj
            return (double)Vocab * d + (double)Context * d + l * block + 2 * d;
        }
    }

    /// <summary>Throws <see cref="ModelConfigException"/> naming the field when a size is impossible.</summary>
    public void Validate()
    {
        ConfigLimits.RequirePositive(("n_layer (Layers)", Layers), ("n_embd (Dim)", Dim), ("n_head (Heads)", Heads),
            ("vocab_size (Vocab)", Vocab), ("n_positions (Context)", Context));
        ConfigLimits.RequireBounded(("n_layer (Layers)", Layers), ("vocab_size (Vocab)", Vocab));
        if (Dim % Heads != 0)
            throw new ModelConfigException($"Config field n_head (Heads) = {Heads} must divide n_embd (Dim) = {Dim}; pick a head count that divides the width.");
        if (!(NormEps > 0) || !double.IsFinite(NormEps))
            throw new ModelConfigException($"Config field layer_norm_epsilon (NormEps) is {NormEps}; it must be a small positive number such as 1e-5.");
        ConfigLimits.RequireAllocatable(ParameterCountEstimate, ("n_layer", Layers), ("n_embd", Dim),
            ("vocab_size", Vocab), ("n_positions", Context));
    }

    /// <summary>Parses Hugging Face <c>config.json</c> text; unknown keys are ignored. <paramref name="source"/> names it in errors.</summary>
    public static Gpt2Config FromJson(string json, string source = "config.json")
    {
        using var config = ConfigJson.Parse(json, source);
        return Read(config);
    }

    /// <summary>Reads a Hugging Face <c>config.json</c> file.</summary>
    public static Gpt2Config Load(string path)
    {
        using var config = ConfigJson.Load(path);
        return Read(config);
    }

    static Gpt2Config Read(ConfigJson config)
    {
        config.ExpectModelType(ModelType);
        var result = new Gpt2Config(
            config.RequiredInt("n_layer"),
            config.RequiredInt("n_embd"),
            config.RequiredInt("n_head"),
            config.RequiredInt("vocab_size"),
            config.RequiredInt("n_positions", "n_ctx"),
            config.OptionalDouble("layer_norm_epsilon", 1e-5));
        // Variants this implementation would silently compute differently are refused.
        config.RejectUnless("activation_function", v => v.GetString() is "gelu_new" or "gelu_pytorch_tanh",
            "only GELU with the tanh approximation (\"gelu_new\") is implemented");
        config.RejectUnless("n_inner", v => v.TryGetInt32(out var inner) && inner == 4 * result.Dim,
            "the MLP width must be 4 × n_embd");
        config.RejectUnless("scale_attn_by_inverse_layer_idx", v => v.ValueKind == System.Text.Json.JsonValueKind.False,
            "attention is scaled by 1/sqrt(head_dim) only");
        try { result.Validate(); }
        catch (ModelConfigException e) { throw new ModelConfigException($"{config.Source}: {e.Message}", e); }
        return result;
    }

    /// <summary>The <c>config.json</c> text Hugging Face's <c>GPT2LMHeadModel</c> reads.</summary>
    public string ToJson() => ConfigJson.Write(
    [
        new("architectures", new[] { "GPT2LMHeadModel" }),
        new("model_type", ModelType),
        new("n_layer", Layers),
        new("n_embd", Dim),
        new("n_head", Heads),
        new("vocab_size", Vocab),
        new("n_positions", Context),
        new("n_ctx", Context),
        new("layer_norm_epsilon", NormEps),
        new("activation_function", "gelu_new"),
        new("n_inner", null),
        new("tie_word_embeddings", true),
    ]);


    internal List<string> DifferencesFrom(Gpt2Config other) => ConfigLimits.Differences(
    [
        ("n_layer", Layers, other.Layers),
        ("n_embd", Dim, other.Dim),
        ("n_head", Heads, other.Heads),
        ("vocab_size", Vocab, other.Vocab),
        ("n_positions", Context, other.Context),
        ("layer_norm_epsilon", NormEps, other.NormEps),
    ]);
}
