using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using ModelDsl.Tokenization;

namespace ModelDsl.Chat;

/// <summary>
/// Reads what <c>apply_chat_template</c> takes from a <c>tokenizer_config.json</c>: the <c>chat_template</c> (a string, or
/// a list of <c>{name, template}</c> chosen as transformers chooses) and the special-token strings templates see.
/// </summary>
internal static class TokenizerConfigTemplates
{
    // transformers' SPECIAL_TOKENS_ATTRIBUTES: the names its special_tokens_map passes to the template.
    static readonly string[] SpecialTokenNames = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    /// <summary>The chosen template and the special-token strings, from a config's JSON text.</summary>
    /// <param name="json">The config's JSON text.</param>
    /// <param name="templateName">Which named template; null chooses as transformers does.</param>
    /// <param name="forTools">With no name: prefer <c>tool_use</c>.</param>
    /// <param name="source">How to name the config in messages.</param>
    /// <param name="files">Templates saved as files beside the config (<see cref="ChatTemplateFiles"/>); they replace inline ones of the same name.</param>
    public static (string Template, Dictionary<string, object?> SpecialTokens) Read(string json, string? templateName, bool forTools, string source,
        IReadOnlyDictionary<string, string>? files = null)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw Invalid($"{source} is not valid JSON: {e.Message}", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid($"{source} is not a JSON object.");
            var template = SelectTemplate(root, files ?? new Dictionary<string, string>(), templateName, forTools, source);
            var tokens = new Dictionary<string, object?>();
            foreach (var name in SpecialTokenNames)
                if (root.TryGetProperty(name, out var token) && TokenText(token) is { } text) tokens[name] = text;
            if (root.TryGetProperty("additional_special_tokens", out var extra) && extra.ValueKind == JsonValueKind.Array)
                tokens["additional_special_tokens"] = extra.EnumerateArray().Select(TokenText).Where(t => t is not null).Cast<object?>().ToList();
            return (template, tokens);
        }
    }

    static string SelectTemplate(JsonElement root, IReadOnlyDictionary<string, string> files, string? templateName, bool forTools, string source)
    {
        var named = InlineTemplates(root, source);
        foreach (var (name, text) in files) named[name] = text;
        if (named.Count == 0)
            throw Invalid($"{source} has no chat_template (and no {ChatTemplateFiles.DefaultFile} beside it); this tokenizer ships without a chat format, so give the template text to new ChatTemplate(…).");
        var available = string.Join(", ", named.Keys.OrderBy(k => k, StringComparer.Ordinal));
        if (templateName is not null && !named.ContainsKey(templateName) && named.Count == 1 && named.ContainsKey("default"))
            throw Invalid($"{source} has a single chat_template, not a named one; there is no template named '{templateName}'.");
        if (templateName is not null)
            return named.TryGetValue(templateName, out var chosen) ? chosen
                : throw Invalid($"{source} has no chat template named '{templateName}'. Available: {available}.");
        if (forTools && named.TryGetValue("tool_use", out var toolUse)) return toolUse;
        return named.TryGetValue("default", out var fallback) ? fallback
            : throw Invalid($"{source} has several chat templates and none is named 'default'; pick one by name. Available: {available}.");
    }

    // The config's own chat_template: a string (named "default") or a list of {name, template}.
    static Dictionary<string, string> InlineTemplates(JsonElement root, string source)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("chat_template", out var value) || value.ValueKind == JsonValueKind.Null) return named;
        if (value.ValueKind == JsonValueKind.String)
        {
            named["default"] = value.GetString()!;
            return named;
        }
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid($"{source}: chat_template must be a string or a list of {{name, template}} objects.");
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("template", out var t) || t.ValueKind != JsonValueKind.String)
                throw Invalid($"{source}: each chat_template entry must be an object with string 'name' and 'template'.");
            named[n.GetString()!] = t.GetString()!;
        }
        return named;
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
