using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Models;

namespace ModelDsl.IO;

/// <summary>
/// A checkpoint's <c>generation_config.json</c>: the token ids and decoding defaults its authors meant. Read within the
/// same size bound as <c>config.json</c>. A field that would change decoding in a way ModelDsl does not implement (beam
/// search, a repetition penalty, min-p…) is refused by name unless it holds its neutral value; a field ModelDsl does not
/// know at all is refused too. <c>GenerationOptions.FromGenerationConfig</c> turns it into generation defaults.
/// </summary>
public sealed record GenerationConfig
{
    /// <summary>The file's name in a checkpoint directory.</summary>
    public const string FileName = "generation_config.json";

    /// <summary>Ids that end generation (<c>eos_token_id</c>, one or a list); empty when the file names none.</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary><c>bos_token_id</c>, if given.</summary>
    public int? BosTokenId { get; init; }

    /// <summary><c>pad_token_id</c>, if given.</summary>
    public int? PadTokenId { get; init; }

    /// <summary><c>do_sample</c>: sample (true) or pick the most likely token (false, Hugging Face's default).</summary>
    public bool DoSample { get; init; }

    /// <summary><c>temperature</c>, if given (Hugging Face's default is 1.0; used only when sampling).</summary>
    public double? Temperature { get; init; }

    /// <summary><c>top_k</c>, if given (Hugging Face's default is 50; used only when sampling).</summary>
    public int? TopK { get; init; }

    /// <summary><c>top_p</c>, if given (Hugging Face's default is 1.0; used only when sampling).</summary>
    public double? TopP { get; init; }

    /// <summary><c>max_new_tokens</c>, if given.</summary>
    public int? MaxNewTokens { get; init; }

    /// <summary><c>max_length</c>, if given: only accepted alongside <c>max_new_tokens</c>, which takes precedence over it as in Hugging Face.</summary>
    public int? MaxLength { get; init; }

    // Fields that change decoding only when they differ from these values (Hugging Face's defaults, which do nothing).
    static readonly Dictionary<string, object?> Neutral = new(StringComparer.Ordinal)
    {
        ["num_beams"] = 1.0, ["num_beam_groups"] = 1.0, ["num_return_sequences"] = 1.0, ["penalty_alpha"] = null,
        ["repetition_penalty"] = 1.0, ["encoder_repetition_penalty"] = 1.0, ["no_repeat_ngram_size"] = 0.0,
        ["encoder_no_repeat_ngram_size"] = 0.0, ["min_length"] = 0.0, ["min_new_tokens"] = null, ["typical_p"] = 1.0,
        ["epsilon_cutoff"] = 0.0, ["eta_cutoff"] = 0.0, ["min_p"] = null, ["top_h"] = null, ["diversity_penalty"] = 0.0,
        ["bad_words_ids"] = null, ["force_words_ids"] = null, ["suppress_tokens"] = null, ["begin_suppress_tokens"] = null,
        ["forced_bos_token_id"] = null, ["forced_eos_token_id"] = null, ["forced_decoder_ids"] = null, ["sequence_bias"] = null,
        ["exponential_decay_length_penalty"] = null, ["renormalize_logits"] = false, ["guidance_scale"] = null,
        ["low_memory"] = null, ["constraints"] = null, ["stop_strings"] = null, ["max_time"] = null, ["watermarking_config"] = null,
        ["dola_layers"] = null, ["prompt_lookup_num_tokens"] = null, ["token_healing"] = false,
        ["remove_invalid_values"] = false,
    };

    // Fields that do not change which tokens are generated for a decoder-only model decoded one sequence at a time.
    static readonly HashSet<string> Inert = new(StringComparer.Ordinal)
    {
        "transformers_version", "_from_model_config", "use_cache", "cache_implementation", "cache_config", "return_legacy_cache",
        "output_attentions", "output_hidden_states", "output_scores", "output_logits", "return_dict_in_generate",
        "length_penalty", "early_stopping", "decoder_start_token_id", "is_assistant", "num_assistant_tokens",
        "num_assistant_tokens_schedule", "assistant_confidence_threshold", "assistant_lookbehind", "target_lookbehind",
        "max_matching_ngram_size", "generation_kwargs", "compile_config", "disable_compile", "trust_remote_code",
    };

    /// <summary>Reads <paramref name="path"/>; errors name the file and the field.</summary>
    /// <exception cref="ModelConfigException">The file is malformed, too large, or asks for decoding ModelDsl does not implement.</exception>
    public static GenerationConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No generation config at '{path}': expected the {FileName} that save_pretrained writes.", path);
        var json = BoundedFile.ReadAllText(path, BoundedFile.JsonConfigBytes,
            length => new ModelConfigException(BoundedFile.TooLarge(path, length, BoundedFile.JsonConfigBytes, "a " + FileName) + "."));
        return Parse(json, $"'{path}'");
    }

    /// <summary>The <c>generation_config.json</c> of <paramref name="directory"/>, or null when it has none.</summary>
    public static GenerationConfig? LoadFromDirectory(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Load(path) : null;
    }

    /// <summary>Parses the JSON text of a <c>generation_config.json</c>; <paramref name="source"/> names it in errors.</summary>
    public static GenerationConfig Parse(string json, string source = FileName)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new ModelConfigException($"{source} is not valid JSON: {e.Message}", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ModelConfigException($"{source} must hold a JSON object, found {root.ValueKind}.");
            if (JsonStrings.FirstUndecodable(root) is { } bad)
                throw new ModelConfigException($"{source} has a string at {bad} that is not text (an unpaired UTF-16 surrogate); fix or remove it.");
            var config = new GenerationConfig();
            foreach (var field in root.EnumerateObject())
                config = Read(config, field.Name, field.Value, source);
            if (config.DoSample && config.Temperature is <= 0)
                throw Error(source, "temperature", $"is {Show(config.Temperature!.Value)} with do_sample true; sampling needs a positive temperature (set do_sample to false for greedy decoding).");
            if (config.MaxLength is not null && config.MaxNewTokens is null)
                throw Error(source, "max_length",
                    "without max_new_tokens is not implemented: it bounds the prompt and the output together, and ModelDsl bounds only new tokens. Add max_new_tokens (which Hugging Face prefers when both are set) or remove max_length.");
            return config;
        }
    }

    static GenerationConfig Read(GenerationConfig config, string name, JsonElement value, string source)
    {
        switch (name)
        {
            case "eos_token_id": return config with { EosTokenIds = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => TokenId(v, source, name)).ToArray() : TokenIdOrNull(value, source, name) is { } id ? [id] : [] };
            case "bos_token_id": return config with { BosTokenId = TokenIdOrNull(value, source, name) };
            case "pad_token_id": return config with { PadTokenId = TokenIdOrNull(value, source, name) };
            case "do_sample":
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? config with { DoSample = value.GetBoolean() } : throw Error(source, name, "must be true or false.");
            case "temperature": return config with { Temperature = Number(value, source, name, v => v >= 0, "a non-negative number") };
            case "top_p": return config with { TopP = Number(value, source, name, v => v > 0 && v <= 1, "a number in (0, 1]") };
            case "top_k": return config with { TopK = (int?)Number(value, source, name, v => v >= 0 && v == Math.Floor(v) && v <= int.MaxValue, "a non-negative integer") };
            case "max_new_tokens": return config with { MaxNewTokens = (int?)Number(value, source, name, v => v >= 1 && v == Math.Floor(v) && v <= int.MaxValue, "a positive integer") };
            case "max_length": return config with { MaxLength = (int?)Number(value, source, name, v => v >= 1 && v == Math.Floor(v) && v <= int.MaxValue, "a positive integer") };
        }
        if (Inert.Contains(name)) return config;
        if (Neutral.TryGetValue(name, out var neutral))
        {
            if (IsNeutral(value, neutral)) return config;
            throw Error(source, name, $"is {Shown(value)}, which changes decoding in a way ModelDsl does not implement. "
                + $"Remove the field{(neutral is null ? "" : $" (or set it to {Show(neutral)})")} to decode without it.");
        }
        throw Error(source, name, "is not known to ModelDsl; remove it if it does not change decoding.");
    }

    static bool IsNeutral(JsonElement value, object? neutral) => neutral switch
    {
        null => value.ValueKind == JsonValueKind.Null,
        bool b => value.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
        double d => value.ValueKind == JsonValueKind.Number && value.GetDouble() == d || d == 0 && value.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    static int? TokenIdOrNull(JsonElement value, string source, string name) => value.ValueKind == JsonValueKind.Null ? null : TokenId(value, source, name);

    static int TokenId(JsonElement value, string source, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) && id >= 0 ? id
            : throw Error(source, name, $"must be a token id (a non-negative integer){(name == "eos_token_id" ? " or a list of them" : "")}, found {Shown(value)}.");

    static double? Number(JsonElement value, string source, string name, Func<double, bool> valid, string expected)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number || !valid(value.GetDouble())) throw Error(source, name, $"must be {expected}, found {Shown(value)}.");
        return value.GetDouble();
    }

    static string Shown(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 80 ? raw : raw[..80] + "…";
    }

    static string Show(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    static ModelConfigException Error(string source, string field, string problem) => new($"{source}: \"{field}\" {problem}", field: field);
}
