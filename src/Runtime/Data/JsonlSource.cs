using System.Collections.Generic;
using System.Text.Json;

namespace ModelDsl.Data;

/// <summary>Reads JSON Lines: one JSON object per line; blank lines are skipped.</summary>
static class JsonlSource
{
    public static List<Example> Read(string path) => Read(path, RowParser.Parse);

    /// <summary>Reads every row and turns it into a <typeparamref name="T"/> with <paramref name="parse"/> (row = line number).</summary>
    public static List<T> Read<T>(string path, RowParse<T> parse)
    {
        var examples = new List<T>();
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
                examples.Add(parse(row, path, line));
            }
        }
        return examples;
    }
}
