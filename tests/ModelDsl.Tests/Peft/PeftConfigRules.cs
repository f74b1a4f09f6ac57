using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Tests.Peft;

/// <summary>
/// The rules PEFT's config classes apply when an <c>adapter_config.json</c> is loaded (<c>PeftConfig.from_pretrained</c>
/// → the dataclass's <c>__init__</c> and <c>__post_init__</c>), written from PEFT's <c>config.py</c>,
/// <c>tuners/lora/config.py</c> and <c>tuners/prompt_tuning/config.py</c>: the fields each class has, the values its
/// checks accept. A file that breaks one is a file PEFT refuses (or, for an unknown key, loads with a warning that the
/// key is ignored — which for a file this SDK writes would mean a field PEFT does not understand).
/// </summary>
internal static class PeftConfigRules
{
    // PeftConfigMixin and PeftConfig.
    static readonly string[] Common = ["task_type", "peft_type", "auto_mapping", "peft_version", "base_model_name_or_path", "revision", "inference_mode"];

    // TaskType in peft/utils/peft_types.py.
    static readonly string[] TaskTypes = ["SEQ_CLS", "SEQ_2_SEQ_LM", "CAUSAL_LM", "TOKEN_CLS", "QUESTION_ANS", "FEATURE_EXTRACTION"];

    // LoraConfig's dataclass fields (runtime_config is dropped from saved files by to_dict).
    static readonly string[] Lora =
    [
        "r", "target_modules", "exclude_modules", "lora_alpha", "lora_dropout", "fan_in_fan_out", "bias", "use_rslora", "modules_to_save",
        "init_lora_weights", "layers_to_transform", "layers_pattern", "rank_pattern", "alpha_pattern", "megatron_config", "megatron_core",
        "trainable_token_indices", "loftq_config", "eva_config", "corda_config", "lora_ga_config", "use_dora", "velora_config",
        "alora_invocation_tokens", "use_qalora", "qalora_group_size", "monteclora_config", "layer_replication", "lora_bias",
        "target_parameters", "use_bdlora", "arrow_config", "kasa_config", "ensure_weight_tying",
    ];

    // PromptLearningConfig's and PromptTuningConfig's fields.
    static readonly string[] PromptTuning =
    [
        "num_virtual_tokens", "token_dim", "num_transformer_submodules", "num_attention_heads", "num_layers", "modules_to_save",
        "prompt_tuning_init", "prompt_tuning_init_text", "tokenizer_name_or_path", "tokenizer_kwargs",
    ];

    /// <summary>Every rule <paramref name="json"/> breaks; empty when PEFT would load it.</summary>
    public static List<string> Violations(string json)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var type = Str(root, "peft_type");
        var known = type switch
        {
            "LORA" => Common.Concat(Lora).ToHashSet(),
            "PROMPT_TUNING" => Common.Concat(PromptTuning).ToHashSet(),
            _ => null,
        };
        if (known is null) return [$"peft_type {type ?? "(missing)"} is not one PEFT maps to a config class here"];
        foreach (var property in root.EnumerateObject())
            if (!known.Contains(property.Name)) problems.Add($"{type} has no field \"{property.Name}\"");
        if (Str(root, "task_type") is { } task && !TaskTypes.Contains(task)) problems.Add($"invalid task type '{task}'");

        if (type == "LORA")
        {
            if (Str(root, "bias") is { } bias && bias is not ("none" or "all" or "lora_only")) problems.Add($"bias '{bias}'");
            var targetsIsString = root.TryGetProperty("target_modules", out var targets) && targets.ValueKind == JsonValueKind.String;
            if (targetsIsString && NotNull(root, "layers_to_transform")) problems.Add("layers_to_transform with a regex target_modules");
            if (targetsIsString && NotNull(root, "layers_pattern")) problems.Add("layers_pattern with a regex target_modules");
            if (Truthy(root, "layers_pattern") && !NotNull(root, "layers_to_transform")) problems.Add("layers_pattern without layers_to_transform");
            if (Truthy(root, "use_dora") && Truthy(root, "megatron_config")) problems.Add("DoRA with megatron");
            if (root.TryGetProperty("init_lora_weights", out var init) && init.ValueKind == JsonValueKind.String && init.GetString() == "loftq"
                && !Truthy(root, "loftq_config")) problems.Add("loftq without loftq_config");
            if (root.TryGetProperty("target_parameters", out var parameters) && parameters.ValueKind == JsonValueKind.String)
                problems.Add("target_parameters must be a list");
            if (!(root.TryGetProperty("r", out var r) && r.ValueKind == JsonValueKind.Number)) problems.Add("r is not a number");
        }
        else
        {
            var init = Str(root, "prompt_tuning_init") ?? "RANDOM";
            if (init is not ("TEXT" or "SAMPLE_VOCAB" or "RANDOM")) problems.Add($"prompt_tuning_init '{init}'");
            if (init == "TEXT" && !Truthy(root, "tokenizer_name_or_path"))
                problems.Add("prompt_tuning_init TEXT needs tokenizer_name_or_path");
            if (init == "TEXT" && !NotNull(root, "prompt_tuning_init_text"))
                problems.Add("prompt_tuning_init TEXT needs prompt_tuning_init_text");
            if (Truthy(root, "tokenizer_kwargs") && init != "TEXT") problems.Add("tokenizer_kwargs without TEXT init");
            if (!(root.TryGetProperty("num_virtual_tokens", out var n) && n.ValueKind == JsonValueKind.Number)) problems.Add("num_virtual_tokens missing");
        }
        return problems;
    }

    static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static bool NotNull(JsonElement root, string name) => root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    // Python truthiness of a JSON value.
    static bool Truthy(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.String => value.GetString()!.Length > 0,
            JsonValueKind.Array => value.GetArrayLength() > 0,
            JsonValueKind.Object => value.EnumerateObject().Any(),
            JsonValueKind.Number => value.GetDouble() != 0,
            _ => true,
        };
}
