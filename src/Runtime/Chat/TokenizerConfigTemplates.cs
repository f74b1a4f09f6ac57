using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Chat;

/// <summary>
/// Reads what <c>apply_chat_template</c> takes from a <c>tokenizer_config.json</c>: the <c>chat_template</c> (a string, or
/// a list of <c>{name, template}</c> chosen as transformers chooses) and the special-token strings templates see.
/// </summary>
internal static class TokenizerConfigTemplates
{
    // transformers' SPECIAL_TOKENS_ATTRIBUTES: the names its special_tokens_map passes to the template.
    static readonly string[] SpecialTokenNames = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    public static (string Template, Dictionary<string, object?> SpecialTokens) Read(string json, string? templateName, bool forTools, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw Invalid($"{source} is not valid JSON: {e.Message}", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid($"{source} is not a JSON object.");
            var template = SelectTemplate(root, templateName, forTools, source);
            var tokens = new Dictionary<string, object?>();
            foreach (var name in SpecialTokenNames)
                if (root.TryGetProperty(name, out var token) && TokenText(token) is { } text) tokens[name] = text;
            if (root.TryGetProperty("additional_special_tokens", out var extra) && extra.ValueKind == JsonValueKind.Array)
                tokens["additional_special_tokens"] = extra.EnumerateArray().Select(TokenText).Where(t => t is not null).Cast<object?>().ToList();
            return (template, tokens);
        }
    }

    static string SelectTemplate(JsonElement root, string? templateName, bool forTools, string source)
    {
        if (!root.TryGetProperty("chat_template", out var value) || value.ValueKind == JsonValueKind.Null)
            throw Invalid($"{source} has no chat_template; this tokenizer ships without a chat format, so give the template text to new ChatTemplate(…).");
        if (value.ValueKind == JsonValueKind.String)
        {
            if (templateName is not null && templateName != "default")
                throw Invalid($"{source} has a single chat_template, not a named one; there is no template named '{templateName}'.");
            return value.GetString()!;
        }
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid($"{source}: chat_template must be a string or a list of {{name, template}} objects.");
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("template", out var t) || t.ValueKind != JsonValueKind.String)
                throw Invalid($"{source}: each chat_template entry must be an object with string 'name' and 'template'.");
            named[n.GetString()!] = t.GetString()!;
        }
        var available = string.Join(", ", named.Keys.OrderBy(k => k, StringComparer.Ordinal));
        if (templateName is not null)
            return named.TryGetValue(templateName, out var chosen) ? chosen
                : throw Invalid($"{source} has no chat template named '{templateName}'. Available: {available}.");
        if (forTools && named.TryGetValue("tool_use", out var toolUse)) return toolUse;
        return named.TryGetValue("default", out var fallback) ? fallback
            : throw Invalid($"{source} has several chat templates and none is named 'default'; pick one by name. Available: {available}.");
    }

    // A token is a string or an AddedToken object ({"content": …}); transformers passes its text.
    static string? TokenText(JsonElement token) => token.ValueKind switch
    {
        JsonValueKind.String => token.GetString(),
        JsonValueKind.Object when token.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
        _ => null,
    };

    static ChatTemplateException Invalid(string message, Exception? inner = null) => new(ChatTemplateErrorKind.InvalidInput, message, inner: inner);
}
