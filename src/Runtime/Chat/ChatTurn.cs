using System;
using System.Collections.Generic;

namespace ModelDsl.Chat;

/// <summary>
/// One message of a conversation as a chat template sees it: a dict with <c>role</c>, usually <c>content</c>, and any
/// extra fields (<c>tool_calls</c>, <c>name</c>, <c>tool_call_id</c>, <c>reasoning_content</c>…) in the order given.
/// Field values may be strings, numbers, booleans, null, dictionaries, lists or JSON elements.
/// </summary>
public sealed class ChatTurn
{
    /// <summary>A message without a <c>content</c> key (for example an assistant turn that only calls tools);
    /// templates see <c>message.content</c> as undefined.</summary>
    /// <param name="role">The speaker: <c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>…</param>
    public ChatTurn(string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        Role = role;
    }

    /// <summary>A message with a <c>content</c> key (a string, null, or a list of content parts).</summary>
    /// <param name="role">The speaker: <c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>…</param>
    /// <param name="content">The message text, null (templates see <c>None</c>), or a list of parts such as
    /// <c>{"type": "text", "text": …}</c>.</param>
    public ChatTurn(string role, object? content) : this(role)
    {
        Content = content;
        HasContent = true;
    }

    /// <summary>The speaker.</summary>
    public string Role { get; }

    /// <summary>The message content, when <see cref="HasContent"/>.</summary>
    public object? Content { get; }

    /// <summary>Whether the message has a <c>content</c> key at all.</summary>
    public bool HasContent { get; }

    /// <summary>Extra keys after <c>role</c> and <c>content</c>, such as <c>tool_calls</c> or <c>name</c>.</summary>
    public IReadOnlyDictionary<string, object?> Fields { get; init; } = new Dictionary<string, object?>();

    /// <summary>A <c>system</c> message.</summary>
    public static ChatTurn System(string content) => new("system", content);

    /// <summary>A <c>user</c> message.</summary>
    public static ChatTurn User(string content) => new("user", content);

    /// <summary>An <c>assistant</c> message.</summary>
    public static ChatTurn Assistant(string content) => new("assistant", content);

    /// <summary>A <c>tool</c> message carrying a tool's result.</summary>
    public static ChatTurn Tool(string content) => new("tool", content);

    /// <inheritdoc/>
    public override string ToString() => HasContent ? $"{Role}: {Content}" : Role;
}
