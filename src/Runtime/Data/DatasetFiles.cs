using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ModelDsl.Data;

/// <summary>
/// What every dataset does with its files and rows, whatever its row type: read JSONL, CSV or Parquet (by name or by
/// extension) through one row parser, and split off a seeded evaluation share.
/// </summary>
internal static class DatasetFiles
{
    public static List<T> Jsonl<T>(string path, RowParse<T> parse) => JsonlSource.Read(Existing(path), parse);

    public static List<T> Csv<T>(string path, RowParse<T> parse) => CsvSource.Read(Existing(path), parse);

    public static List<T> Parquet<T>(string path, RowParse<T> parse) => ParquetSource.Read(Existing(path), parse);

    /// <summary>Reads a file by its extension: <c>.jsonl</c>, <c>.csv</c> or <c>.parquet</c>.</summary>
    public static List<T> ByExtension<T>(string path, RowParse<T> parse) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" => Jsonl(path, parse),
        ".csv" => Csv(path, parse),
        ".parquet" => Parquet(path, parse),
        var other => throw new ArgumentException($"'{path}': unknown dataset extension '{other}'; expected .jsonl, .csv or .parquet.", nameof(path)),
    };

    /// <summary>A seeded random <paramref name="evalFraction"/> of <paramref name="items"/> (at least one) for evaluation, the rest for training.</summary>
    public static (IEnumerable<T> Train, IEnumerable<T> Eval) Split<T>(IReadOnlyList<T> items, double evalFraction, int seed)
    {
        if (evalFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(evalFraction), evalFraction, "Must lie in (0, 1).");
        var order = Shuffler.Permutation(items.Count, seed);
        var evalCount = Math.Max(1, (int)Math.Round(items.Count * evalFraction));
        return (order.Skip(evalCount).Select(i => items[i]), order.Take(evalCount).Select(i => items[i]));
    }

    static string Existing(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Dataset file '{path}' does not exist.", path);
        return path;
    }
}
