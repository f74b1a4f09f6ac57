using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelDsl.Generation;
using ModelDsl.Generation.Structured;

namespace ModelDsl.Clients;

/// <summary>How a typed client asks for a record answer and reads it back.</summary>
internal static class StructuredAnswers
{
    /// <summary>
    /// System.Text.Json's defaults (property names as declared, or as <c>[JsonPropertyName]</c> says) with enums by
    /// name, which is how the generator writes the schema; unknown properties are refused, as the schema allows none.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary><paramref name="options"/> constrained to <paramref name="schema"/>; stop sequences are dropped, as the value ends generation itself.</summary>
    public static GenerationOptions Constrained(GenerationOptions options, string schema) =>
        options with { ResponseConstraint = JsonSchemaConstraint.Parse(schema), StopSequences = [] };

    /// <summary>
    /// The generated value as <typeparamref name="T"/>. A JSON <c>null</c> is returned as null: the schema allows it only
    /// when the method's answer type is nullable.
    /// </summary>
    /// <exception cref="FormatException">The text is not a complete value (the budget ran out first).</exception>
    public static T Read<T>(GeneratedText generated)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(generated.Text, Json) is { } value ? value
                : generated.Text.Trim() == "null" ? default!
                : throw new FormatException($"The answer is empty, not a {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The answer is not a complete {typeof(T).Name} (finish reason {generated.FinishReason}): {e.Message}", e);
        }
    }
}
