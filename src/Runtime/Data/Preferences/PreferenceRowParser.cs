using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Data;

/// <summary>
/// Turns one row into a <see cref="PreferenceExample"/>. A row has <c>chosen</c> and <c>rejected</c> and either a text
/// <c>prompt</c> or a conversation: <c>messages</c> (a JSON array of <c>{role, content}</c>; in CSV and Parquet a string
/// holding it) or, in JSON Lines, <c>prompt</c> given as such an array. In the chat form an answer may also be given
/// as a one-turn array <c>[{"role": "assistant", "content": …}]</c>, as TRL's conversational datasets store it.
/// </summary>
static class PreferenceRowParser
{
    public static PreferenceExample Parse(IReadOnlyDictionary<string, object?> row, string file, long rowNumber)
    {
        var chosen = Answer(row, "chosen", file, rowNumber);
        var rejected = Answer(row, "rejected", file, rowNumber);
        if (chosen is null || rejected is null)
        {
            var found = row.Where(kv => kv.Value is not null).Select(kv => $"\"{kv.Key}\"").ToArray();
            throw new DataFormatException(file, rowNumber,
                $"has no \"{(chosen is null ? "chosen" : "rejected")}\"; a preference row needs \"prompt\" (or \"messages\"), \"chosen\" and \"rejected\", found "
                + (found.Length == 0 ? "no columns with values." : string.Join(", ", found) + "."));
        }

        var conversationColumn = row.GetValueOrDefault("messages") is not null ? "messages"
            : row.GetValueOrDefault("prompt") is JsonElement { ValueKind: JsonValueKind.Array } ? "prompt"
            : null;
        if (conversationColumn is not null)
        {
            var turns = RowParser.ParseMessages(row[conversationColumn]!, file, rowNumber, conversationColumn, requireAssistant: false);
            if (turns.Length == 0)
                throw new DataFormatException(file, rowNumber, $"\"{conversationColumn}\" is empty; the conversation needs the turns before the answer.");
            if (turns[^1].Role == "assistant")
                throw new DataFormatException(file, rowNumber,
                    $"\"{conversationColumn}\" ends with an assistant turn; it must end where the answer begins (the answers go in \"chosen\" and \"rejected\").");
            return new ChatPreference(turns, chosen, rejected);
        }

        var prompt = RowParser.Text(row, "prompt", file, rowNumber)
            ?? throw new DataFormatException(file, rowNumber, "has \"chosen\" and \"rejected\" but no \"prompt\" or \"messages\".");
        if (prompt.Length == 0) throw new DataFormatException(file, rowNumber, "\"prompt\" is empty.");
        return new TextPreference(prompt, chosen, rejected);
    }

    // An answer: a string, or (JSON Lines) a one-turn array holding the assistant's message.
    static string? Answer(IReadOnlyDictionary<string, object?> row, string column, string file, long rowNumber)
    {
        string? text;
        if (row.GetValueOrDefault(column) is JsonElement { ValueKind: JsonValueKind.Array } array)
        {
            var turns = RowParser.ParseMessages(array, file, rowNumber, column, requireAssistant: false);
            if (turns.Length != 1 || turns[0].Role != "assistant")
                throw new DataFormatException(file, rowNumber,
                    $"\"{column}\" as an array must hold exactly one assistant turn; found {turns.Length} turn(s) ({string.Join(", ", turns.Select(t => t.Role))}).");
            text = turns[0].Content;
        }
        else text = RowParser.Text(row, column, file, rowNumber);
        if (text is { Length: 0 }) throw new DataFormatException(file, rowNumber, $"\"{column}\" is empty, so the pair compares nothing.");
        return text;
    }
}
