using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ModelDsl.Data;

/// <summary>
/// Bounds on what a dataset file may make the reader allocate, checked before the allocation: one row's text (a JSONL
/// line, a CSV record) and a Parquet row group's claimed row count.
/// </summary>
internal static class DataLimits
{
    /// <summary>Longest row accepted, in characters (16 Mi; a training example is a few thousand).</summary>
    public const int MaxRowChars = 1 << 24;

    /// <summary>
    /// Most rows a Parquet row group may claim: one per byte of the file, at least a million. Encodings can store a
    /// repeated value in a few bytes, but a footer claiming more rows than the file has bytes is damaged or hostile, and
    /// believing it would allocate arrays of that length.
    /// </summary>
    public static long MaxParquetRows(long fileLength) => System.Math.Max(1_000_000, fileLength);

    /// <summary>
    /// The lines of a text file as <see cref="File.ReadLines(string)"/> splits them (at <c>\n</c>, <c>\r</c> or
    /// <c>\r\n</c>), refusing a line longer than <see cref="MaxRowChars"/> as soon as it gets that long.
    /// </summary>
    public static IEnumerable<string> ReadLines(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var line = new StringBuilder();
        long number = 1;
        var buffer = new char[8192];
        bool sawCarriageReturn = false, any = false;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (sawCarriageReturn && c == '\n') { sawCarriageReturn = false; continue; }
                sawCarriageReturn = c == '\r';
                if (c is '\n' or '\r')
                {
                    yield return line.ToString();
                    line.Clear();
                    number++;
                    any = false;
                    continue;
                }
                if (line.Length >= MaxRowChars)
                    throw new DataFormatException(path, number, $"is longer than {MaxRowChars:N0} characters; a row holds one example, so this file is damaged or not a dataset.");
                line.Append(c);
                any = true;
            }
        if (any) yield return line.ToString();
    }
}
