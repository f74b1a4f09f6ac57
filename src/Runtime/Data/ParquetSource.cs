using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Parquet;
using Parquet.Schema;

namespace ModelDsl.Data;

/// <summary>Reads Parquet files whose columns are strings (<c>text</c>; <c>prompt</c>, <c>completion</c>; <c>messages</c> as JSON).</summary>
static class ParquetSource
{
    public static List<Example> Read(string path) => Read(path, RowParser.Parse);

    /// <summary>Reads every record and turns it into a <typeparamref name="T"/> with <paramref name="parse"/> (row = 1-based record).</summary>
    public static List<T> Read<T>(string path, RowParse<T> parse)
    {
        try { return ReadAsync(path, parse).GetAwaiter().GetResult(); }
        // The Parquet library reports damaged files with many exception types; each is the file's fault here.
        catch (Exception e) when (e is not DataFormatException && e is IOException or InvalidDataException or NotSupportedException
                                  or InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException
                                  or FormatException or NullReferenceException or InvalidCastException)
        {
            throw new DataFormatException(path, 0, $"is not a readable Parquet file: {e.Message}", e);
        }
    }

    static async Task<List<T>> ReadAsync<T>(string path, RowParse<T> parse)
    {
        ParquetReader reader;
        try { reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new DataFormatException(path, 0, $"is not a readable Parquet file: {e.Message}", e);
        }
        await using var _ = reader.ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        // Parquet.Net reports UTF-8 columns as string or as ReadOnlyMemory<char>, depending on how they were written.
        foreach (var field in fields.Where(f => f.ClrType != typeof(string) && f.ClrType != typeof(ReadOnlyMemory<char>)))
            throw new DataFormatException(path, 0, $"column \"{field.Name}\" holds {field.ClrType.Name}; every column must hold strings.");

        // Every row group's claimed row count is checked against the file's size before any array is sized by it.
        var limit = DataLimits.MaxParquetRows(new FileInfo(path).Length);
        long claimed = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            claimed += group.RowCount;
            if (group.RowCount < 0 || group.RowCount > limit || claimed > limit)
                throw new DataFormatException(path, 0,
                    $"its footer claims {(group.RowCount < 0 ? group.RowCount : claimed):N0} rows in a {new FileInfo(path).Length:N0}-byte file (row group {g}); the file is damaged.");
        }
        var examples = new List<T>();
        long rowBase = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var columns = new Dictionary<string, string?[]>();
            foreach (var field in fields)
            {
                var values = new string?[count];
                await group.ReadAsync(field, values.AsMemory()).ConfigureAwait(false);
                columns[field.Name] = values;
            }
            for (var i = 0; i < count; i++)
            {
                var row = columns.ToDictionary(c => c.Key, c => (object?)c.Value[i]);
                examples.Add(parse(row, path, rowBase + i + 1));
            }
            rowBase += count;
        }
        return examples;
    }
}
