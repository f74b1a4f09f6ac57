using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ModelDsl.Data;

/// <summary>
/// Reads CSV (RFC 4180): a header row naming the columns, comma separators, fields optionally in double
/// quotes (which may hold commas, newlines and doubled quotes). An empty field counts as absent.
/// </summary>
static class CsvSource
{
    public static List<Example> Read(string path) => Read(path, RowParser.Parse);

    /// <summary>Reads every record and turns it into a <typeparamref name="T"/> with <paramref name="parse"/> (row = starting line).</summary>
    public static List<T> Read<T>(string path, RowParse<T> parse)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var records = ReadRecords(reader, path).GetEnumerator();
        if (!records.MoveNext()) throw new DataFormatException(path, 1, "the file is empty; expected a header row.");
        var header = records.Current.Fields;
        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DataFormatException(path, 1, $"the header names column \"{duplicate.Key}\" twice.");

        var examples = new List<T>();
        while (records.MoveNext())
        {
            var (fields, line) = records.Current;
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            if (fields.Count != header.Count)
                throw new DataFormatException(path, line, $"has {fields.Count} fields but the header has {header.Count}.");
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < header.Count; i++) row[header[i]] = fields[i].Length == 0 ? null : fields[i];
            examples.Add(parse(row, path, line));
        }
        return examples;
    }

    /// <summary>Yields each record's fields with the line it starts on.</summary>
    static IEnumerable<(List<string> Fields, long Line)> ReadRecords(TextReader reader, string path)
    {
        long line = 1;
        while (reader.Peek() >= 0)
        {
            var start = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var endOfRecord = false;
            long length = 0;
            while (!endOfRecord)
            {
                var c = reader.Read();
                if (++length > DataLimits.MaxRowChars)
                    throw new DataFormatException(path, start, $"is longer than {DataLimits.MaxRowChars:N0} characters; a row holds one example, so this file is damaged or not a dataset.");
                if (quoted)
                {
                    if (c < 0) throw new DataFormatException(path, start, "a quoted field is never closed.");
                    if (c == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                        else quoted = false;
                    }
                    else
                    {
                        if (c == '\n') line++;
                        field.Append((char)c);
                    }
                    continue;
                }
                switch (c)
                {
                    case -1: endOfRecord = true; break;
                    case '"' when field.Length == 0: quoted = true; break;
                    case ',': fields.Add(field.ToString()); field.Clear(); break;
                    case '\r': break;
                    case '\n': line++; endOfRecord = true; break;
                    default: field.Append((char)c); break;
                }
            }
            fields.Add(field.ToString());
            yield return (fields, start);
        }
    }
}
