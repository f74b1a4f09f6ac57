using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Chat.Jinja;
using ModelDsl.IO;
using ModelDsl.Tokenization;

namespace ModelDsl.Chat;

/// <summary>
/// A model's own Jinja chat template, rendered exactly as Hugging Face transformers'
/// <c>apply_chat_template(conversation, tokenize=False, add_generation_prompt=…, tools=…, **kwargs)</c> renders it:
/// same environment, same variables (<c>messages</c>, <c>add_generation_prompt</c>, <c>tools</c>, <c>documents</c>, the
/// special-token strings, and any extra variables such as Qwen3's <c>enable_thinking</c>), same text.
/// </summary>
/// <remarks>Instances are immutable and safe to use from several threads.</remarks>
public sealed partial class ChatTemplate
{
    static readonly HashSet<string> ReservedVariables = ["messages", "add_generation_prompt"];

    readonly JinjaTemplate _template;
    readonly Dictionary<string, object?> _specialTokens;

    /// <summary>Parses <paramref name="source"/>; syntax errors are reported here with their line and column.</summary>
    /// <param name="source">The template text (a tokenizer config's <c>chat_template</c>, or a <c>chat_template.jinja</c> file).</param>
    /// <param name="specialTokens">The special-token variables templates see: <c>bos_token</c>, <c>eos_token</c>,
    /// <c>unk_token</c>, <c>pad_token</c>… (strings) and optionally <c>additional_special_tokens</c> (a list of strings).</param>
    public ChatTemplate(string source, IReadOnlyDictionary<string, object?>? specialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        _specialTokens = specialTokens?.ToDictionary(p => p.Key, p => p.Value) ?? [];
        _template = Translate(() => new JinjaTemplate(source, TransformersEnvironment.Create(() => Clock())));
        HasGenerationBlocks = _template.HasGeneration;
    }

    /// <summary>
    /// The template of a <c>tokenizer_config.json</c> file, with the special tokens it declares. Templates saved as files
    /// beside it (<c>chat_template.jinja</c>, <c>additional_chat_templates/NAME.jinja</c>) win over its <c>chat_template</c>, as in transformers.
    /// </summary>
    /// <param name="path">The <c>tokenizer_config.json</c> file.</param>
    /// <param name="templateName">For configs with several named templates: which one (null picks as transformers does).</param>
    /// <param name="forTools">With several named templates and no name: prefer <c>tool_use</c>, as transformers does when tools are passed.</param>
    public static ChatTemplate FromTokenizerConfig(string path, string? templateName = null, bool forTools = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var limit = TokenizerFileLimits.Default.MaxTokenizerConfigBytes;
        var files = ChatTemplateFiles.Read(Path.GetDirectoryName(Path.GetFullPath(path))!, limit);
        var json = BoundedFile.ReadAllText(path, limit,
            length => new InvalidDataException(BoundedFile.TooLarge(path, length, limit, "a tokenizer_config.json") + "."));
        var (template, tokens) = TokenizerConfigTemplates.Read(json, templateName, forTools, path, files);
        return new ChatTemplate(template, tokens);
    }

    /// <summary>Like <see cref="FromTokenizerConfig"/>, from the JSON text of a <c>tokenizer_config.json</c>.</summary>
    /// <param name="json">The configuration's JSON text.</param>
    /// <param name="templateName">For configs with several named templates: which one (null picks as transformers does).</param>
    /// <param name="forTools">With several named templates and no name: prefer <c>tool_use</c>.</param>
    /// <param name="sourceName">How to name the configuration in error messages.</param>
    public static ChatTemplate FromTokenizerConfigJson(string json, string? templateName = null, bool forTools = false, string sourceName = "tokenizer_config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        var (template, tokens) = TokenizerConfigTemplates.Read(json, templateName, forTools, sourceName);
        return new ChatTemplate(template, tokens);
    }

    /// <summary>The template text.</summary>
    public string Source { get; }

    /// <summary>The special-token variables templates see.</summary>
    public IReadOnlyDictionary<string, object?> SpecialTokens => _specialTokens;

    /// <summary>Whether the template marks assistant output with <c>{% generation %}</c> blocks.</summary>
    public bool HasGenerationBlocks { get; }

    /// <summary>The clock <c>strftime_now</c> reads (local time by default, like Python's <c>datetime.now()</c>).</summary>
    public Func<DateTime> Clock { get; init; } = () => DateTime.Now;

    /// <summary>Renders a conversation as <c>apply_chat_template(messages, tokenize=False, …)</c> does.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="addGenerationPrompt">Whether to end with the header of an assistant turn to be generated.</param>
    /// <param name="variables">Extra template variables (transformers' keyword arguments): <c>tools</c> (a list of JSON
    /// schemas), <c>documents</c>, <c>enable_thinking</c>… They override special tokens of the same name.</param>
    public string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables = null)
    {
        var context = Variables(messages, addGenerationPrompt, variables);
        return Translate(() => _template.Render(context));
    }

    /// <summary>Renders with exactly these variables and nothing else (no messages, special tokens or defaults): the
    /// engine on its own, for tests that compare it with jinja2 on arbitrary templates.</summary>
    internal string RenderVariables(IReadOnlyDictionary<string, object?> variables)
    {
        var context = variables.ToDictionary(p => p.Key, p => Convert(p.Value, p.Key));
        return Translate(() => _template.Render(context));
    }

    /// <summary>Renders and locates the assistant output, for training with the loss on assistant turns only. Templates
    /// with <c>{% generation %}</c> blocks give those blocks' text; for others each assistant turn's span is what it adds
    /// to the rendering of the conversation before it (with the generation prompt): its content and end-of-turn marker.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="addGenerationPrompt">Whether to end with the header of an assistant turn to be generated.</param>
    /// <param name="variables">Extra template variables, as for <see cref="Render"/>.</param>
    /// <exception cref="ChatTemplateException">With <see cref="ChatTemplateErrorKind.NotPrefixStable"/> when the template
    /// renders an earlier turn differently once later turns follow, so spans cannot be derived.</exception>
    public RenderedChat RenderWithAssistantSpans(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = false, IReadOnlyDictionary<string, object?>? variables = null)
    {
        if (HasGenerationBlocks)
        {
            var context = Variables(messages, addGenerationPrompt, variables);
            var (text, spans) = Translate(() => _template.Render(context, trackGeneration: true));
            return new RenderedChat(text, spans.Select(s => new CharSpan(s.Start, s.End)).ToList());
        }
        return AssistantSpans.FromPrefixes(messages, addGenerationPrompt, (prefix, generation) => Render(prefix, generation, variables));
    }

    Dictionary<string, object?> Variables(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var context = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages.Select(ToDict).ToList<object?>(),
            ["tools"] = null,
            ["documents"] = null,
            ["add_generation_prompt"] = addGenerationPrompt,
        };
        foreach (var (name, value) in _specialTokens) context[name] = Convert(value, name);
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            if (ReservedVariables.Contains(name))
                throw new ChatTemplateException(ChatTemplateErrorKind.InvalidInput, $"'{name}' is set by the renderer; pass it as the method's argument, not as a variable.");
            context[name] = Convert(value, name);
        }
        CheckListOfMappings(context["tools"], "tools", "a list of JSON schemas (dictionaries)");
        CheckListOfMappings(context["documents"], "documents", "a list of dictionaries with 'title' and 'text'");
        return context;
    }

    static void CheckListOfMappings(object? value, string name, string expected)
    {
        if (value is null) return;
        if (value is not List<object?> list || list.Any(item => item is not PyDict))
            throw new ChatTemplateException(ChatTemplateErrorKind.InvalidInput, $"The '{name}' variable must be {expected}.");
    }

    static PyDict ToDict(ChatTurn turn)
    {
        var dict = new PyDict();
        dict.Set("role", turn.Role);
        if (turn.HasContent) dict.Set("content", Convert(turn.Content, "content"));
        foreach (var (key, value) in turn.Fields)
        {
            if (key is "role" or "content")
                throw new ChatTemplateException(ChatTemplateErrorKind.InvalidInput, $"ChatTurn.Fields must not contain '{key}'; it is the turn's {key} property.");
            dict.Set(key, Convert(value, key));
        }
        return dict;
    }

    static object? Convert(object? value, string name)
    {
        try { return PythonValues.FromDotNet(value); }
        catch (ArgumentException e) { throw new ChatTemplateException(ChatTemplateErrorKind.InvalidInput, $"'{name}': {e.Message}", inner: e); }
        catch (JinjaException e) { throw new ChatTemplateException(ChatTemplateErrorKind.InvalidInput, $"'{name}': {e.Message}", inner: e); }
    }

    /// <summary>Runs engine code and reports its errors as <see cref="ChatTemplateException"/>.</summary>
    static T Translate<T>(Func<T> run)
    {
        try { return run(); }
        catch (JinjaException e)
        {
            var kind = e.Kind switch
            {
                JinjaErrorKind.Syntax => ChatTemplateErrorKind.Syntax,
                JinjaErrorKind.Raised => ChatTemplateErrorKind.Raised,
                JinjaErrorKind.Undefined => ChatTemplateErrorKind.Undefined,
                JinjaErrorKind.Security => ChatTemplateErrorKind.Security,
                JinjaErrorKind.Unsupported => ChatTemplateErrorKind.Unsupported,
                _ => ChatTemplateErrorKind.Runtime,
            };
            var message = e.Kind == JinjaErrorKind.Raised ? e.Detail : $"Chat template error at {e.Message}";
            if (e.Position is null && e.Kind != JinjaErrorKind.Raised) message = $"Chat template error: {e.Message}";
            throw new ChatTemplateException(kind, message, e.Position?.Line, e.Position?.Column, e);
        }
    }
}
