using System;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.IO.Peft;

/// <summary>
/// The <c>adapter_config.json</c> fields that change what a loaded adapter computes, and what this runtime does with
/// each. Honoured: <c>r</c>, <c>lora_alpha</c>, <c>use_rslora</c>, <c>lora_dropout</c> (training only), the tensors'
/// shapes. Refused by name unless they hold their default: every field below, each of which would make the adapter
/// compute something this runtime does not (per-layer ranks and alphas, DoRA, a bias on <c>lora_B</c>, …). Fields that
/// only describe how an adapter was initialised or where it came from, and keys PEFT adds in later versions, are read
/// past, as PEFT itself does.
/// </summary>
internal static class AdapterConfigFields
{
    static readonly (string Field, string Effect)[] LoraDefaultsOnly =
    [
        ("rank_pattern", "it gives some layers another rank than r"),
        ("alpha_pattern", "it gives some layers another lora_alpha"),
        ("use_dora", "DoRA rescales each output by a learned magnitude"),
        ("lora_bias", "it adds a trained bias to lora_B"),
        ("layer_replication", "it repeats base layers"),
        ("alora_invocation_tokens", "activated LoRA applies the update only after the invocation tokens"),
        ("target_parameters", "it puts LoRA on raw parameters rather than layers"),
        ("trainable_token_indices", "it trains rows of the embedding as well"),
        ("use_qalora", "QA-LoRA pools the input in groups"),
        ("use_bdlora", "BD-LoRA makes lora_A or lora_B block-diagonal"),
        ("velora_config", "VeLoRA changes the update"),
        ("kasa_config", "KaSA inserts learned singular values between lora_A and lora_B"),
        ("monteclora_config", "MonteCLoRA samples the update"),
        ("arrow_config", "Arrow routes between several adapters"),
        ("megatron_config", "it targets Megatron's parallel layers"),
        ("modules_to_save", "it fully trains extra modules"),
    ];

    static readonly (string Field, string Effect)[] PromptDefaultsOnly =
    [
        ("modules_to_save", "it fully trains extra modules"),
    ];

    // Initialisations that change the base weights: the adapter fits only that changed base, unless PEFT converted it on
    // save (path_initial_model_for_weight_conversion), which writes init_lora_weights = true.
    static readonly string[] BaseChangingInits = ["pissa", "olora", "corda", "loftq", "lora_ga"];

    /// <summary>Throws <see cref="AdapterFormatException"/> naming the first field this runtime would not honour.</summary>
    public static void RequireHonoured(JsonElement root, string peftType, string path)
    {
        if (root.TryGetProperty("task_type", out var task) && task.ValueKind != JsonValueKind.Null
            && !(task.ValueKind == JsonValueKind.String && task.GetString() == "CAUSAL_LM"))
            throw new AdapterFormatException(path, $"field \"task_type\" is {task.GetRawText()}; this runtime loads causal-LM adapters (\"CAUSAL_LM\") only.");
        var defaultsOnly = peftType switch
        {
            PeftTypes.Lora => LoraDefaultsOnly,
            PeftTypes.PromptTuning => PromptDefaultsOnly,
            _ => [],
        };
        foreach (var (field, effect) in defaultsOnly)
            if (root.TryGetProperty(field, out var value) && !IsDefault(value))
                throw new AdapterFormatException(path,
                    $"field \"{field}\" is {Shorten(value.GetRawText())}: {effect}, which ModelDsl does not implement, so the adapter would compute something else here. "
                    + $"Retrain or export it without \"{field}\".");
        if (peftType == PeftTypes.Lora && root.TryGetProperty("init_lora_weights", out var init) && init.ValueKind == JsonValueKind.String
            && init.GetString() is { } name && BaseChangingInits.Any(b => name.StartsWith(b, StringComparison.Ordinal)))
            throw new AdapterFormatException(path,
                $"field \"init_lora_weights\" is \"{name}\": that initialisation changes the base weights, so the adapter only fits the changed base. "
                + "Save it from PEFT with path_initial_model_for_weight_conversion (which makes it an adapter for the original base) and load that.");
        if (peftType == PeftTypes.PromptTuning && root.TryGetProperty("num_transformer_submodules", out var submodules)
            && submodules.ValueKind == JsonValueKind.Number && !(submodules.TryGetInt32(out var n) && n == 1))
            throw new AdapterFormatException(path,
                $"field \"num_transformer_submodules\" is {submodules.GetRawText()}; a decoder-only model has 1 (2 is an encoder-decoder's prompt).");
    }

    // Absent values as PEFT writes them: null, false, 0, "", [] or {}.
    static bool IsDefault(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False => true,
        JsonValueKind.Number => value.TryGetDouble(out var d) && d == 0,
        JsonValueKind.String => value.GetString()?.Length == 0,
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        _ => false,
    };

    static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
