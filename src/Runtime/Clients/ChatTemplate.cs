using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.AI;

namespace ModelDsl.Clients;

/// <summary>
/// The plain chat format <see cref="LanguageModelChatClient"/> uses: one line per message, <c>role: text</c>, then
/// <c>assistant:</c> for the model to continue. A new role-prefixed line ends the reply.
/// </summary>
public static class ChatTemplate
{
    /// <summary>Stop sequences that end a reply where the model starts another turn.</summary>
    public static IReadOnlyList<string> TurnStops { get; } = ["\nuser:", "\nassistant:", "\nsystem:"];

    /// <summary>The prompt for <paramref name="messages"/>, ending with <c>assistant:</c>.</summary>
    public static string Render(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
            text.Append(message.Role.Value.ToLowerInvariant()).Append(": ").Append(message.Text.Trim()).Append('\n');
        return text.Append(ChatRole.Assistant.Value).Append(':').ToString();
    }
}
