using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat;

/// <summary>
/// Finds assistant output in a template without <c>{% generation %}</c> blocks by rendering prefixes: for assistant
/// message i, the conversation before it with the generation prompt must be a prefix of the whole rendering (so the
/// span starts where the model starts writing), and the conversation up to and including it must be a prefix too (so
/// the span ends after its end-of-turn marker). Templates that rewrite earlier turns once later ones follow (for
/// example to drop old reasoning) fail this check, and are reported rather than given wrong spans.
/// </summary>
internal static class AssistantSpans
{
    public static RenderedChat FromPrefixes(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt, Func<IReadOnlyList<ChatTurn>, bool, string> render)
    {
        var full = render(messages, addGenerationPrompt);
        var spans = new List<CharSpan>();
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role != "assistant") continue;
            var before = messages.Take(i).ToList();
            var through = messages.Take(i + 1).ToList();
            var start = PrefixLength(full, Render(render, before, true, i), i, "the conversation before it, with the generation prompt,");
            var end = PrefixLength(full, Render(render, through, false, i), i, "the conversation up to and including it");
            if (end < start)
                throw NotStable(i, "the turn renders shorter than the generation prompt before it, so it does not extend the prompt");
            spans.Add(new CharSpan(start, end));
        }
        return new RenderedChat(full, spans);
    }

    static string Render(Func<IReadOnlyList<ChatTurn>, bool, string> render, IReadOnlyList<ChatTurn> prefix, bool generationPrompt, int index)
    {
        try { return render(prefix, generationPrompt); }
        catch (ChatTemplateException e) when (e.Kind != ChatTemplateErrorKind.InvalidInput)
        {
            throw new ChatTemplateException(ChatTemplateErrorKind.NotPrefixStable,
                $"Assistant spans are derived by rendering the conversation up to each assistant turn, and rendering the first {prefix.Count} message(s) (for message {index}) failed: {e.Message}",
                e.Line, e.Column, e);
        }
    }

    static int PrefixLength(string full, string prefix, int index, string what)
    {
        if (full.StartsWith(prefix, StringComparison.Ordinal)) return prefix.Length;
        var differ = 0;
        while (differ < prefix.Length && differ < full.Length && prefix[differ] == full[differ]) differ++;
        throw NotStable(index, $"{what} renders as text that is not a prefix of the whole conversation (they differ at character {differ}: "
                               + $"{Excerpt(prefix, differ)} versus {Excerpt(full, differ)})");
    }

    static string Excerpt(string text, int at) =>
        at >= text.Length ? "<end>" : "\"" + text.Substring(at, Math.Min(30, text.Length - at)).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    static ChatTemplateException NotStable(int index, string detail) =>
        new(ChatTemplateErrorKind.NotPrefixStable,
            $"Cannot derive the span of assistant message {index}: {detail}. The template is not prefix-stable for this conversation; "
            + "add {% generation %} blocks to it, or train on a conversation that ends at this turn.");
}
