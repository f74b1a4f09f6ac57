using System.Collections.Generic;
using System.Text.Json;

namespace ModelDsl.Models;

/// <summary>
/// Sizes of a Llama model, as Hugging Face's <c>LlamaConfig</c> names them in <c>config.json</c>:
/// <c>num_hidden_layers</c>, <c>hidden_size</c>, <c>num_attention_heads</c>, <c>num_key_value_heads</c>,
/// <c>intermediate_size</c>, <c>vocab_size</c>, <c>max_position_embeddings</c>, <c>rope_theta</c>,
/// <c>tie_word_embeddings</c>, <c>rms_norm_eps</c>.
/// </summary>
/// <param name="Layers">Decoder layers (<c>num_hidden_layers</c>).</param>
/// <param name="Dim">Model width (<c>hidden_size</c>).</param>
/// <param name="Heads">Query heads (<c>num_attention_heads</c>); must divide <paramref name="Dim"/>.</param>
/// <param name="KvHeads">Key/value heads (<c>num_key_value_heads</c>); must divide <paramref name="Heads"/> (grouped-query attention when smaller).</param>
/// <param name="Ffn">Hidden width of the gated MLP (<c>intermediate_size</c>).</param>
/// <param name="Vocab">Vocabulary size (<c>vocab_size</c>).</param>
/// <param name="Context">Context window (<c>max_position_embeddings</c>).</param>
/// <param name="RopeTheta">Base of the rotary frequencies (<c>rope_theta</c>).</param>
/// <param name="TieEmbeddings">Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>).</param>
/// <param name="NormEps">RMS-norm stability term (<c>rms_norm_eps</c>).</param>
public sealed record LlamaConfig(int Layers, int Dim, int Heads, int KvHeads, int Ffn, int Vocab, int Context,
    double RopeTheta = 10000, bool TieEmbeddings = false, double NormEps = 1e-5)
{
    /// <summary>The <c>model_type</c> written to and expected in <c>config.json</c>.</summary>
    public const string ModelType = "llama";

    /// <summary>Width of one attention head.</summary>
    public int HeadDim => Dim / Heads;

    /// <summary>Number of parameters (a tied head counted once).</summary>
    public long ParameterCount => (long)ParameterCountEstimate;

    double ParameterCountEstimate
    {
        get
        {
            double d = Dim, kv = (double)KvHeads * HeadDim;
            var layer = d * d * 2 + 2 * d * kv     // q, o and k, v projections
                      + 3 * d * Ffn                // gate, up, down
                      + 2 * d;                     // two RMS norms
            var embeddings = (double)Vocab * d * (TieEmbeddings ? 1 : 2);
            return embeddings + Layers * layer + d;
        }
    }

    /// <summary>Throws <see cref="ModelConfigException"/> naming the field when a size is impossible.</summary>
    public void Validate()
    {
        ConfigLimits.RequirePositive(("num_hidden_layers (Layers)", Layers), ("hidden_size (Dim)", Dim),
            ("num_attention_heads (Heads)", Heads), ("num_key_value_heads (KvHeads)", KvHeads),
            ("intermediate_size (Ffn)", Ffn), ("vocab_size (Vocab)", Vocab), ("max_position_embeddings (Context)", Context));
        ConfigLimits.RequireBounded(("num_hidden_layers (Layers)", Layers), ("vocab_size (Vocab)", Vocab));
        if (Dim % Heads != 0)
            throw new ModelConfigException($"Config field num_attention_heads (Heads) = {Heads} must divide hidden_size (Dim) = {Dim}.");
        if (Heads % KvHeads != 0)
            throw new ModelConfigException($"Config field num_key_value_heads (KvHeads) = {KvHeads} must divide num_attention_heads (Heads) = {Heads}.");
        if (HeadDim % 2 != 0)
            throw new ModelConfigException($"hidden_size / num_attention_heads = {HeadDim} must be even for rotary embeddings.");
        if (!(RopeTheta > 0) || !double.IsFinite(RopeTheta))
            throw new ModelConfigException($"Config field rope_theta (RopeTheta) is {RopeTheta}; it must be positive, e.g. 10000.");
        if (!(NormEps > 0) || !double.IsFinite(NormEps))
            throw new ModelConfigException($"Config field rms_norm_eps (NormEps) is {NormEps}; it must be a small positive number such as 1e-5.");
        ConfigLimits.RequireAllocatable(ParameterCountEstimate, ("num_hidden_layers", Layers), ("hidden_size", Dim),
            ("intermediate_size", Ffn), ("vocab_size", Vocab));
    }

    /// <summary>Parses Hugging Face <c>config.json</c> text; unknown keys are ignored. <paramref name="source"/> names it in errors.</summary>
    public static LlamaConfig FromJson(string json, string source = "config.json")
    {
        using var config = ConfigJson.Parse(json, source);
        return Read(config);
    }

    /// <summary>Reads a Hugging Face <c>config.json</c> file.</summary>
    public static LlamaConfig Load(string path)
    {
        using var config = ConfigJson.Load(path);
        return Read(config);
    }

    static LlamaConfig Read(ConfigJson config)
    {
        config.ExpectModelType(ModelType);
        var heads = config.RequiredInt("num_attention_heads");
        var result = new LlamaConfig(
            config.RequiredInt("num_hidden_layers"),
            config.RequiredInt("hidden_size"),
            heads,
            config.OptionalInt("num_key_value_heads", heads),      // absent in pre-GQA files: one KV head per query head
            config.RequiredInt("intermediate_size"),
            config.RequiredInt("vocab_size"),
            config.RequiredInt("max_position_embeddings"),
            config.OptionalDouble("rope_theta", 10000),
            config.OptionalBool("tie_word_embeddings", false),
            config.OptionalDouble("rms_norm_eps", 1e-6));
        // Variants this implementation would silently compute differently are refused.
        config.RejectUnless("rope_scaling", _ => false, "only plain rotary embeddings are implemented (no scaling)");
        config.RejectUnless("attention_bias", v => v.ValueKind == JsonValueKind.False, "projections have no bias");
        config.RejectUnless("mlp_bias", v => v.ValueKind == JsonValueKind.False, "projections have no bias");
        config.RejectUnless("hidden_act", v => v.GetString() == "silu", "the MLP uses SiLU");
        config.RejectUnless("head_dim", v => v.TryGetInt32(out var h) && h == result.Dim / result.Heads,
            "the head width must be hidden_size / num_attention_heads");
        try { result.Validate(); }
        catch (ModelConfigException e) { throw new ModelConfigException($"{config.Source}: {e.Message}", e); }
        return result;
    }

    /// <summary>The <c>config.json</c> text Hugging Face's <c>LlamaForCausalLM</c> reads.</summary>
    public string ToJson() => ConfigJson.Write(
    [
        new("architectures", new[] { "LlamaForCausalLM" }),
        new("model_type", ModelType),
        new("num_hidden_layers", Layers),
        new("hidden_size", Dim),
        new("num_attention_heads", Heads),
        new("num_key_value_heads", KvHeads),
        new("intermediate_size", Ffn),
        new("vocab_size", Vocab),
        new("max_position_embeddings", Context),
        new("rope_theta", RopeTheta),
        new("tie_word_embeddings", TieEmbeddings),
        new("rms_norm_eps", NormEps),
        new("hidden_act", "silu"),
        new("attention_bias", false),
        new("mlp_bias", false),
        new("rope_scaling", null),
    ]);


    internal List<string> DifferencesFrom(LlamaConfig other) => ConfigLimits.Differences(
    [
        ("num_hidden_layers", Layers, other.Layers),
        ("hidden_size", Dim, other.Dim),
        ("num_attention_heads", Heads, other.Heads),
        ("num_key_value_heads", KvHeads, other.KvHeads),
        ("intermediate_size", Ffn, other.Ffn),
        ("vocab_size", Vocab, other.Vocab),
        ("max_position_embeddings", Context, other.Context),
        ("rope_theta", RopeTheta, other.RopeTheta),
        ("tie_word_embeddings", TieEmbeddings, other.TieEmbeddings),
        ("rms_norm_eps", NormEps, other.NormEps),
    ]);
}
