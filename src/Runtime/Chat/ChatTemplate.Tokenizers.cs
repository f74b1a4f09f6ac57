using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.Tokenization;

namespace ModelDsl.Chat;

public sealed partial class ChatTemplate
{
    /// <summary>
    /// The SDK's own format, for tokenizers that ship no chat template: each turn is <c>&lt;|role|&gt;</c> on its own
    /// line, then its content and a newline; the generation prompt is <c>&lt;|assistant|&gt;</c> and a newline. An
    /// assistant turn's span (what chat training learns) is its content and the newline that ends it.
    /// </summary>
    public static ChatTemplate Simple { get; } = new(
        "{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}\n{% endfor %}"
        + "{% if add_generation_prompt %}<|assistant|>\n{% endif %}");

    /// <summary>Where a reply in the <see cref="Simple"/> format ends: the model starting the next turn.</summary>
    public static IReadOnlyList<string> SimpleTurnStops { get; } = ["\n<|user|>", "\n<|assistant|>", "\n<|system|>", "\n<|tool|>"];

    /// <summary>
    /// The chat template <paramref name="tokenizer"/> ships (a <see cref="HuggingFaceTokenizer"/> loaded with a
    /// <c>tokenizer_config.json</c> that has a <c>chat_template</c>), with its special-token strings; null when it has none.
    /// </summary>
    public static ChatTemplate? OfTokenizer(Tokenizer tokenizer)
    {
        if (tokenizer is not HuggingFaceTokenizer { Config: { ChatTemplate: { } source } config }) return null;
        var tokens = new Dictionary<string, object?>();
        void Add(string name, string? text) { if (text is not null) tokens[name] = text; }
        Add("bos_token", config.BosToken);
        Add("eos_token", config.EosToken);
        Add("unk_token", config.UnkToken);
        Add("pad_token", config.PadToken);
        foreach (var (field, token) in config.NamedSpecialTokens)
            if (field is "sep_token" or "cls_token" or "mask_token") Add(field, token);
        var additional = config.NamedSpecialTokens.Where(t => t.Field.StartsWith("additional_special_tokens[", System.StringComparison.Ordinal))
            .Select(t => (object?)t.Token).ToList();
        if (additional.Count > 0) tokens["additional_special_tokens"] = additional;
        return new ChatTemplate(source, tokens);
    }

    /// <summary>
    /// The template conversations with <paramref name="tokenizer"/> use: <paramref name="chosen"/> when given, else the
    /// tokenizer's own (<see cref="OfTokenizer"/>), else <see cref="Simple"/>.
    /// </summary>
    public static ChatTemplate For(Tokenizer tokenizer, ChatTemplate? chosen = null) => chosen ?? OfTokenizer(tokenizer) ?? Simple;
}
