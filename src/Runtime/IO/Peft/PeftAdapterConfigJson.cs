using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ModelDsl.Peft;

namespace ModelDsl.IO.Peft;

/// <summary>
/// Reads and writes <c>adapter_config.json</c> as PEFT does: two-space indentation, keys sorted (PEFT's
/// <c>json.dumps(…, indent=2, sort_keys=True)</c>). On read, a field that would change the adapter's math in a way this
/// runtime does not implement is refused by name (<see cref="AdapterConfigFields"/>), unknown keys are ignored (PEFT adds
/// fields over time, and ignores unknown ones itself) and a known key of the wrong JSON type is rejected, naming the key.
/// </summary>
public static class PeftAdapterConfigJson
{
    /// <summary>The JSON text for <paramref name="config"/>.</summary>
    public static string Write(PeftAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var fields = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["base_model_name_or_path"] = config.BaseModelNameOrPath,
            ["inference_mode"] = config.InferenceMode,
            ["peft_type"] = config.PeftType,
            ["task_type"] = config.TaskType,
        };
        switch (config.PeftType)
        {
            case PeftTypes.Lora:
                fields["r"] = config.R;
                fields["lora_alpha"] = config.LoraAlpha;
                fields["lora_dropout"] = config.LoraDropout;
                fields["target_modules"] = config.TargetModules;
                fields["fan_in_fan_out"] = config.FanInFanOut;
                fields["bias"] = config.Bias;
                fields["use_rslora"] = config.UseRslora;
                fields["modules_to_save"] = config.ModulesToSave;
                break;
            case PeftTypes.PromptTuning:
                fields["num_virtual_tokens"] = config.NumVirtualTokens;
                fields["token_dim"] = config.TokenDim;
                fields["num_transformer_submodules"] = config.NumTransformerSubmodules;
                fields["num_attention_heads"] = config.NumAttentionHeads;
                fields["num_layers"] = config.NumLayers;
                fields["prompt_tuning_init"] = config.PromptTuningInit;
                fields["prompt_tuning_init_text"] = config.PromptTuningInitText;
                fields["tokenizer_name_or_path"] = config.TokenizerNameOrPath;
                break;
            case PeftTypes.Bottleneck:
                fields["bottleneck_dim"] = config.BottleneckDim;
                fields["adapter_placement"] = config.AdapterPlacement;
                fields["adapter_activation"] = config.AdapterActivation;
                fields["token_dim"] = config.TokenDim;
                break;
            case PeftTypes.Selective:
                fields["selection"] = config.Selection;
                break;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses <paramref name="json"/> read from <paramref name="path"/> (named in errors).</summary>
    /// <exception cref="AdapterFormatException">Not a JSON object, no <c>peft_type</c>, or a known field of the wrong type.</exception>
    public static PeftAdapterConfig Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new AdapterFormatException(path, $"not valid JSON ({e.Message}).", e); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new AdapterFormatException(path, $"expected a JSON object, found {document.RootElement.ValueKind}.");
            if (JsonStrings.FirstUndecodable(document.RootElement) is { } where)
                throw new AdapterFormatException(path,
                    $"the string at {where} escapes an unpaired UTF-16 surrogate (such as \\uD800), which is not text; fix or remove it.");
            var duplicate = document.RootElement.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new AdapterFormatException(path, $"field \"{duplicate.Key}\" appears {duplicate.Count()} times; readers disagree on which one counts, so keep one.");
            var fields = new Fields(document.RootElement, path);
            var peftType = fields.String("peft_type")
                ?? throw new AdapterFormatException(path, "missing \"peft_type\"; an adapter config must say which method it holds (e.g. \"LORA\").");
            AdapterConfigFields.RequireHonoured(document.RootElement, peftType, path);
            return new PeftAdapterConfig
            {
                PeftType = peftType,
                TaskType = fields.String("task_type"),
                BaseModelNameOrPath = fields.String("base_model_name_or_path"),
                InferenceMode = fields.Bool("inference_mode") ?? true,
                R = fields.Int("r"),
                LoraAlpha = fields.Double("lora_alpha"),
                LoraDropout = fields.Double("lora_dropout"),
                TargetModules = fields.StringList("target_modules"),
                FanInFanOut = fields.Bool("fan_in_fan_out"),
                Bias = fields.String("bias"),
                UseRslora = fields.Bool("use_rslora"),
                ModulesToSave = fields.StringList("modules_to_save"),
                NumVirtualTokens = fields.Int("num_virtual_tokens"),
                TokenDim = fields.Long("token_dim"),
                NumTransformerSubmodules = fields.Int("num_transformer_submodules"),
                NumAttentionHeads = fields.Int("num_attention_heads"),
                NumLayers = fields.Int("num_layers"),
                PromptTuningInit = fields.String("prompt_tuning_init"),
                PromptTuningInitText = fields.String("prompt_tuning_init_text"),
                TokenizerNameOrPath = fields.String("tokenizer_name_or_path"),
                BottleneckDim = fields.Long("bottleneck_dim"),
                AdapterPlacement = fields.String("adapter_placement"),
                AdapterActivation = fields.String("adapter_activation"),
                Selection = fields.String("selection"),
            };
        }
    }

    static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d when Math.Abs(d) < 1e15 && d == Math.Floor(d): writer.WriteNumberValue((long)d); break;
            case double d: writer.WriteNumberValue(d); break;
            case IEnumerable<string> list:
                writer.WriteStartArray();
                foreach (var item in list) writer.WriteStringValue(item);
                writer.WriteEndArray();
                break;
            default: throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "Unsupported adapter config value type.");
        }
    }

    /// <summary>Typed access to the known keys of the config object; absent or <c>null</c> gives <see langword="null"/>.</summary>
    sealed class Fields(JsonElement root, string path)
    {
        public string? String(string name) =>
            Get(name, JsonValueKind.String, "a string") is { } e ? e.GetString() : null;

        public bool? Bool(string name)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
            throw WrongType(name, "true or false", e);
        }

        public int? Int(string name) =>
            Get(name, JsonValueKind.Number, "an integer") is { } e ? e.TryGetInt32(out var v) ? v : throw WrongType(name, "an integer", e) : null;

        public long? Long(string name) =>
            Get(name, JsonValueKind.Number, "an integer") is { } e ? e.TryGetInt64(out var v) ? v : throw WrongType(name, "an integer", e) : null;

        public double? Double(string name) =>
            Get(name, JsonValueKind.Number, "a number") is { } e ? e.GetDouble() : null;

        /// <summary>A list of strings; a single string (PEFT allows a regex for <c>target_modules</c>) becomes a one-item list.</summary>
        public IReadOnlyList<string>? StringList(string name)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind == JsonValueKind.String) return [e.GetString()!];
            if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
                throw WrongType(name, "a list of strings", e);
            return e.EnumerateArray().Select(item => item.GetString()!).ToList();
        }

        JsonElement? Get(string name, JsonValueKind kind, string expected)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind != kind) throw WrongType(name, expected, e);
            return e;
        }

        AdapterFormatException WrongType(string name, string expected, JsonElement actual) =>
            new(path, $"field \"{name}\" must be {expected}, but is {actual.GetRawText()}.");
    }
}

/// <summary>The <c>peft_type</c> values this runtime writes and reads.</summary>
public static class PeftTypes
{
    /// <summary>PEFT's LoRA.</summary>
    public const string Lora = "LORA";

    /// <summary>PEFT's prompt tuning.</summary>
    public const string PromptTuning = "PROMPT_TUNING";

    /// <summary>ModelDsl's bottleneck adapters (not a PEFT type).</summary>
    public const string Bottleneck = "BOTTLENECK_ADAPTER";

    /// <summary>ModelDsl's selective fine-tuning, e.g. BitFit (not a PEFT type).</summary>
    public const string Selective = "SELECTIVE";

    /// <summary>ModelDsl's full fine-tune saved as an adapter directory (not a PEFT type).</summary>
    public const string FullFineTune = "FULL_FINE_TUNE";
}
