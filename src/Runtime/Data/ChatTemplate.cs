using System;
using System.Collections.Generic;

namespace ModelDsl.Data;

/// <summary>
/// How a conversation becomes text: each turn is <see cref="Header"/> (with <c>{role}</c> replaced),
/// the content, then <see cref="Footer"/>. The assistant's content and footer are the targets, so the
/// model learns to answer and to end its turn; everything else is context.
/// </summary>
/// <param name="Header">Text before each turn; <c>{role}</c> becomes the speaker's role.</param>
/// <param name="Footer">Text after each turn.</param>
public sealed record ChatTemplate(string Header = "<|{role}|>\n", string Footer = "\n")
{
    /// <summary>The default template: <c>&lt;|role|&gt;</c> on its own line, then the content and a newline.</summary>
    public static ChatTemplate Default { get; } = new();

    /// <summary>The conversation as text pieces, each marked as a target or as context.</summary>
    public IReadOnlyList<(string Text, bool IsTarget)> Render(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var pieces = new List<(string, bool)>();
        foreach (var message in messages)
        {
            var target = message.Role == "assistant";
            pieces.Add((Header.Replace("{role}", message.Role, StringComparison.Ordinal), false));
            pieces.Add((message.Content + Footer, target));
        }
        return pieces;
    }
}
