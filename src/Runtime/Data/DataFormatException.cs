using System;

namespace ModelDsl.Data;

/// <summary>A dataset file holds a row that cannot become an example; the message names the file, the row and the fault.</summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception for row <paramref name="row"/> (1-based line or record number) of <paramref name="file"/>.</summary>
    public DataFormatException(string file, long row, string problem, Exception? inner = null)
        : base($"{file}, row {row}: {problem}", inner)
    {
        File = file;
        Row = row;
        Problem = problem;
    }

    /// <summary>The file that holds the row.</summary>
    public string File { get; }

    /// <summary>The 1-based line (JSONL, CSV) or record (Parquet) number.</summary>
    public long Row { get; }

    /// <summary>What is wrong with the row.</summary>
    public string Problem { get; }
}
