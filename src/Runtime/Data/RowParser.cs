using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Data;

/// <summary>
/// Turns one row, whatever file it came from, into an <see cref="Example"/>. A row has either
/// <c>text</c>, or <c>prompt</c> and <c>completion</c>, or <c>messages</c> (a JSON array of
/// <c>{role, content}</c>; in CSV and Parquet a string holding that JSON).
/// </summary>
static class RowParser
{
    /// <summary>The column <paramref name="column"/> as text: a string, or null when absent or null; anything else is refused.</summary>
    public static string? Text(IReadOnlyDictionary<string, object?> row, string column, string file, long rowNumber)
    {
        if (!row.TryGetValue(column, out var value) || value is null) return null;
        return value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            JsonElement e => throw new DataFormatException(file, rowNumber, $"\"{column}\" must be a string, found {Describe(e.ValueKind)}."),
            _ => throw new DataFormatException(file, rowNumber, $"\"{column}\" must be a string, found {value.GetType().Name}."),
        };
    }

    static readonly HashSet<string> Roles = ["system", "user", "assistant"];

    /// <summary>A row's columns: a string, a JSON value, or null when absent or null.</summary>
    public static Example Parse(IReadOnlyDictionary<string, object?> row, string file, long rowNumber)
    {
        string? Text(string column) => RowParser.Text(row, column, file, rowNumber);

        if (row.ContainsKey("messages") && row["messages"] is not null)
            return new ChatExample(ParseMessages(row["messages"]!, file, rowNumber));

        var prompt = Text("prompt");
        var completion = Text("completion");
        if (prompt is not null || completion is not null)
        {
            if (prompt is null) throw new DataFormatException(file, rowNumber, "has \"completion\" but no \"prompt\".");
            if (completion is null) throw new DataFormatException(file, rowNumber, "has \"prompt\" but no \"completion\".");
            if (completion.Length == 0) throw new DataFormatException(file, rowNumber, "\"completion\" is empty, so the row has nothing to learn.");
            return new PromptCompletionExample(prompt, completion);
        }

        var text = Text("text");
        if (text is not null)
        {
            if (text.Length == 0) throw new DataFormatException(file, rowNumber, "\"text\" is empty.");
            return new TextExample(text);
        }

        var found = row.Where(kv => kv.Value is not null).Select(kv => $"\"{kv.Key}\"").ToArray();
        throw new DataFormatException(file, rowNumber,
            "expected \"text\", or \"prompt\" and \"completion\", or \"messages\"; found "
            + (found.Length == 0 ? "no columns with values." : string.Join(", ", found) + "."));
    }

    /// <summary>
    /// A <c>messages</c> value (a JSON array, or a string holding one) as turns; <paramref name="column"/> names it in
    /// errors. With <paramref name="requireAssistant"/> a conversation without an assistant turn is refused.
    /// </summary>
    public static ExampleMessage[] ParseMessages(object value, string file, long rowNumber, string column = "messages", bool requireAssistant = true)
    {
        JsonElement array;
        if (value is JsonElement element) array = element;
        else if (value is string json)
        {
            try { array = JsonDocument.Parse(json).RootElement; }
            catch (JsonException e) { throw new DataFormatException(file, rowNumber, $"\"{column}\" is not valid JSON: {e.Message}", e); }
        }
        else throw new DataFormatException(file, rowNumber, $"\"{column}\" must be an array, found {value.GetType().Name}.");

        if (array.ValueKind != JsonValueKind.Array)
            throw new DataFormatException(file, rowNumber, $"\"{column}\" must be an array, found {Describe(array.ValueKind)}.");
        var messages = new List<ExampleMessage>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(file, rowNumber, $"{column}[{index}] must be an object with \"role\" and \"content\".");
            var role = StringProperty(item, "role", column, index, file, rowNumber);
            var content = StringProperty(item, "content", column, index, file, rowNumber);
            if (!Roles.Contains(role))
                throw new DataFormatException(file, rowNumber, $"{column}[{index}].role is \"{role}\"; expected system, user or assistant.");
            messages.Add(new ExampleMessage(role, content));
            index++;
        }
        if (requireAssistant && !messages.Any(m => m.Role == "assistant"))
            throw new DataFormatException(file, rowNumber, "\"messages\" has no assistant turn, so the row has nothing to learn.");
        return messages.ToArray();
    }

    static string StringProperty(JsonElement item, string name, string column, int index, string file, long rowNumber)
    {
        if (!item.TryGetProperty(name, out var property))
            throw new DataFormatException(file, rowNumber, $"{column}[{index}] has no \"{name}\".");
        if (property.ValueKind != JsonValueKind.String)
            throw new DataFormatException(file, rowNumber, $"{column}[{index}].{name} must be a string, found {Describe(property.ValueKind)}.");
        return property.GetString()!;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}

/// <summary>Turns one row's columns (from <paramref name="file"/>, 1-based <paramref name="row"/>) into a record, or throws <see cref="DataFormatException"/>.</summary>
delegate T RowParse<out T>(IReadOnlyDictionary<string, object?> columns, string file, long row);
