using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Data;

/// <summary>
/// Examples loaded from JSONL, CSV or Parquet (or built in code). Each row is plain text (<c>text</c>),
/// a prompt/completion pair (<c>prompt</c>, <c>completion</c>) or a conversation (<c>messages</c>: an array
/// of <c>{role, content}</c>, stored as a JSON string in CSV and Parquet).
/// </summary>
public sealed class Dataset : IReadOnlyList<Example>
{
    readonly Example[] _examples;

    /// <summary>Creates a dataset from examples.</summary>
    public Dataset(IEnumerable<Example> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        _examples = examples.ToArray();
        if (_examples.Any(e => e is null)) throw new ArgumentException("A dataset cannot hold null examples.", nameof(examples));
    }

    /// <summary>Loads a JSON Lines file (one object per line).</summary>
    /// <exception cref="DataFormatException">A line is not an example; the message names the file and line.</exception>
    public static Dataset FromJsonl(string path) => new(DatasetFiles.Jsonl(path, RowParser.Parse));

    /// <summary>Loads a CSV file with a header row.</summary>
    /// <exception cref="DataFormatException">A row is not an example; the message names the file and line.</exception>
    public static Dataset FromCsv(string path) => new(DatasetFiles.Csv(path, RowParser.Parse));

    /// <summary>Loads a Parquet file of string columns.</summary>
    /// <exception cref="DataFormatException">A record is not an example; the message names the file and record.</exception>
    public static Dataset FromParquet(string path) => new(DatasetFiles.Parquet(path, RowParser.Parse));

    /// <summary>Loads a file by its extension: <c>.jsonl</c>, <c>.csv</c> or <c>.parquet</c>.</summary>
    public static Dataset Load(string path) => new(DatasetFiles.ByExtension(path, RowParser.Parse));

    /// <summary>
    /// Tokenizes every example with <paramref name="tokenizer"/>. Without a <see cref="TokenizationOptions.MaxLength"/>
    /// nothing is truncated; <c>Trainer.Fit(Dataset, …)</c> truncates to the model's context instead.
    /// </summary>
    public TokenizedDataset Tokenize(Tokenizer tokenizer, TokenizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= new TokenizationOptions();
        var (sequences, dropped, truncated) = ExampleTokenizer.Tokenize(_examples, tokenizer, options);
        return new TokenizedDataset(sequences, options.PadTokenId, dropped, truncated);
    }

    /// <summary>Splits off a seeded random <paramref name="evalFraction"/> of the examples for evaluation.</summary>
    public (Dataset Train, Dataset Eval) Split(double evalFraction, int seed)
    {
        var (train, eval) = DatasetFiles.Split(_examples, evalFraction, seed);
        return (new(train), new(eval));
    }

    /// <inheritdoc/>
    public int Count => _examples.Length;

    /// <inheritdoc/>
    public Example this[int index] => _examples[index];

    /// <inheritdoc/>
    public IEnumerator<Example> GetEnumerator() => ((IEnumerable<Example>)_examples).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
