using System.Collections.Generic;
using System.Text.Json;

namespace ModelDsl.Data;

/// <summary>Reads JSON Lines: one JSON object per line; blank lines are skipped.</summary>
static class JsonlSource
{
    public static List<Example> Read(string path)
    {
        var examples = new List<Example>();
        long line = 0;
        foreach (var text in DataLimits.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonDocument document;
            try { document = JsonDocument.Parse(text); }
            catch (JsonException e) { throw new DataFormatException(path, line, $"is not valid JSON: {e.Message}", e); }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new DataFormatException(path, line, "must be a JSON object.");
                var row = new Dictionary<string, object?>();
                foreach (var property in document.RootElement.EnumerateObject())
                    row[property.Name] = property.Value.Clone();
                examples.Add(RowParser.Parse(row, path, line));
            }
        }
        return examples;
    }
}
