using System.Collections.Generic;

namespace ModelDsl.Chat;

/// <summary>A range of characters (UTF-16 code units, as .NET strings index) in a rendered conversation.</summary>
/// <param name="Start">The first character.</param>
/// <param name="End">One past the last character.</param>
public readonly record struct CharSpan(int Start, int End)
{
    /// <summary>How many characters the span covers.</summary>
    public int Length => End - Start;

    /// <summary>The spanned text of <paramref name="text"/>.</summary>
    public string Of(string text) => text[Start..End];
}

/// <summary>A rendered conversation and the spans of assistant output in it (what "loss on assistant turns only" trains on).</summary>
/// <param name="Text">The rendered text, as <c>apply_chat_template(..., tokenize=False)</c> returns it.</param>
/// <param name="AssistantSpans">The assistant output in <paramref name="Text"/>, in order.</param>
public sealed record RenderedChat(string Text, IReadOnlyList<CharSpan> AssistantSpans);
