using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelDsl.Chat;

namespace ModelDsl.Tests.Chat;

/// <summary>Conversations the real chat templates are rendered with: plain turns, unicode, whitespace, tool use,
/// reasoning, content parts, and conversations some templates reject.</summary>
internal static class Conversations
{
    static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static readonly JsonElement WeatherTool = Json("""
        {"type": "function", "function": {"name": "get_weather", "description": "Current weather in a city.",
         "parameters": {"type": "object", "properties": {"location": {"type": "string", "description": "City name, e.g. Paris"},
           "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location"]}}}
        """);

    public static readonly JsonElement TimeTool = Json("""
        {"type": "function", "function": {"name": "get_time", "description": "Local time; returns \"HH:MM\".",
         "parameters": {"type": "object", "properties": {"zone": {"type": "string"}}}, "return": {"type": "string"}}}
        """);

    public static List<object?> Tools => [WeatherTool, TimeTool];

    static ChatTurn ToolCall(bool withContent, string? content = "")
    {
        var fields = new Dictionary<string, object?>
        {
            ["tool_calls"] = Json("""[{"type": "function", "id": "call12345", "function": {"name": "get_weather", "arguments": {"location": "Paris", "unit": "celsius"}}}]"""),
        };
        return withContent ? new ChatTurn("assistant", content) { Fields = fields } : new ChatTurn("assistant") { Fields = fields };
    }

    static ChatTurn ToolResult => new("tool", "{\"temperature\": 22, \"sky\": \"clear\"}")
    {
        Fields = new Dictionary<string, object?> { ["tool_call_id"] = "call12345", ["name"] = "get_weather" },
    };

    public static readonly IReadOnlyList<(string Name, ChatTurn[] Turns)> All =
    [
        ("user only", [ChatTurn.User("Hello!")]),
        ("system and user", [ChatTurn.System("You are a pirate."), ChatTurn.User("Where is the treasure?")]),
        ("multi turn", [ChatTurn.System("Answer briefly."), ChatTurn.User("2+2?"), ChatTurn.Assistant("4"), ChatTurn.User("And 3+3?"), ChatTurn.Assistant("6")]),
        ("multi turn without system", [ChatTurn.User("Hi"), ChatTurn.Assistant("Hello, how can I help?"), ChatTurn.User("Tell me a joke.")]),
        ("unicode and emoji", [ChatTurn.User("Grüße 👋🏽 — 你好，世界！ مرحبا"), ChatTurn.Assistant("Ça va? 😀\u00a0ok ✓"), ChatTurn.User("👍🏻👨‍👩‍👧")]),
        ("whitespace", [ChatTurn.System("  padded system  \n"), ChatTurn.User("\n\nleading newlines, trailing spaces   "), ChatTurn.Assistant("\tTabbed\nmulti\nline\n\n"), ChatTurn.User(" ")]),
        ("empty contents", [ChatTurn.User(""), ChatTurn.Assistant("")]),
        ("template-like text", [ChatTurn.User("Use {{ braces }} and {% tags %} and <|im_end|> literally; quotes ' \" and a backslash \\"), ChatTurn.Assistant("Sure: {{ x }} \\n</s>")]),
        ("assistant first", [ChatTurn.Assistant("I speak first."), ChatTurn.User("Hey")]),
        ("two users in a row", [ChatTurn.User("one"), ChatTurn.User("two")]),
        ("system only", [ChatTurn.System("Just a system prompt.")]),
        ("empty conversation", []),
        ("tool call without content", [ChatTurn.User("Weather in Paris?"), ToolCall(withContent: false), ToolResult, ChatTurn.Assistant("It is 22 °C and clear.")]),
        ("tool call with empty content", [ChatTurn.System("Use tools."), ChatTurn.User("Weather in Paris?"), ToolCall(withContent: true), ToolResult, ChatTurn.Assistant("22 °C, clear.")]),
        ("tool call with null content", [ChatTurn.User("Weather in Paris?"), ToolCall(withContent: true, content: null), ToolResult]),
        ("reasoning in content", [ChatTurn.User("What is 2+2?"), ChatTurn.Assistant("<think>\nSimple sum.\n</think>\n\nIt is 4."), ChatTurn.User("Thanks"), ChatTurn.Assistant("<think>\nPolite.\n</think>\n\nYou're welcome!")]),
        ("reasoning field", [ChatTurn.User("What is 2+2?"), new ChatTurn("assistant", "It is 4.") { Fields = new Dictionary<string, object?> { ["reasoning_content"] = "Add the numbers." } }]),
        ("content parts", [new ChatTurn("user", new List<object?> { Json("""{"type": "image"}"""), Json("""{"type": "text", "text": "  What is in this picture?  "}""") }), ChatTurn.Assistant("A cat.")]),
        ("named user", [new ChatTurn("user", "Hi from Ann") { Fields = new Dictionary<string, object?> { ["name"] = "ann" } }]),
    ];

    /// <summary>The message as the dict transformers would be given (and our renderer builds): role, content, fields.</summary>
    public static JsonObject ToJson(ChatTurn turn)
    {
        var json = new JsonObject { ["role"] = turn.Role };
        if (turn.HasContent) json["content"] = JsonSerializer.SerializeToNode(turn.Content);
        foreach (var (key, value) in turn.Fields) json[key] = JsonSerializer.SerializeToNode(value);
        return json;
    }

    public static JsonArray ToJson(IEnumerable<ChatTurn> turns) => new([.. turns.Select(t => (JsonNode)ToJson(t))]);
}
