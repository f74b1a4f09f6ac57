using System.Text.Json.Nodes;
using Json.Schema;

namespace ModelDsl.Tests.Generation.Structured;

/// <summary>JsonSchema.Net, an independent implementation of JSON Schema, as the oracle for generated answers.</summary>
internal sealed class SchemaValidator
{
    static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    readonly JsonSchema _schema;

    public SchemaValidator(string schemaJson) => _schema = JsonSchema.FromText(schemaJson);

    /// <summary>Whether <paramref name="json"/> parses as JSON and validates against the schema.</summary>
    public bool IsValid(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
        return _schema.Evaluate(node, Options).IsValid;
    }
}
