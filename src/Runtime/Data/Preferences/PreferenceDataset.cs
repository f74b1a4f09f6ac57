using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Data;

/// <summary>
/// Preference examples loaded from JSONL, CSV or Parquet (or built in code). Each row has <c>chosen</c> and
/// <c>rejected</c> answers and either a text <c>prompt</c> or a conversation (<c>messages</c>; in JSON Lines also
/// <c>prompt</c> as an array of <c>{role, content}</c>), as TRL's preference datasets do.
/// </summary>
public sealed class PreferenceDataset : IReadOnlyList<PreferenceExample>
{
    readonly PreferenceExample[] _examples;

    /// <summary>Creates a dataset from examples.</summary>
    public PreferenceDataset(IEnumerable<PreferenceExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        _examples = examples.ToArray();
        if (_examples.Any(e => e is null)) throw new ArgumentException("A dataset cannot hold null examples.", nameof(examples));
    }

    /// <summary>Loads a JSON Lines file (one object per line).</summary>
    /// <exception cref="DataFormatException">A line is not a preference; the message names the file and line.</exception>
    public static PreferenceDataset FromJsonl(string path) => new(DatasetFiles.Jsonl(path, PreferenceRowParser.Parse));

    /// <summary>Loads a CSV file with a header row.</summary>
    /// <exception cref="DataFormatException">A row is not a preference; the message names the file and line.</exception>
    public static PreferenceDataset FromCsv(string path) => new(DatasetFiles.Csv(path, PreferenceRowParser.Parse));

    /// <summary>Loads a Parquet file of string columns.</summary>
    /// <exception cref="DataFormatException">A record is not a preference; the message names the file and record.</exception>
    public static PreferenceDataset FromParquet(string path) => new(DatasetFiles.Parquet(path, PreferenceRowParser.Parse));

    /// <summary>Loads a file by its extension: <c>.jsonl</c>, <c>.csv</c> or <c>.parquet</c>.</summary>
    public static PreferenceDataset Load(string path) => new(DatasetFiles.ByExtension(path, PreferenceRowParser.Parse));

    /// <summary>
    /// Tokenizes every example: the prompt and each answer apart (so the boundary is exact), the answers' tokens scored and
    /// the prompt's not. Special tokens come once per sequence: a text prompt starts with the tokenizer's BOS when it adds
    /// one, a chat template writes its own, and answers get none (set <see cref="PreferenceTokenizationOptions.EosTokenId"/>
    /// to end them). Without a <see cref="PreferenceTokenizationOptions.MaxLength"/> nothing is truncated.
    /// </summary>
    public TokenizedPreferences Tokenize(Tokenizer tokenizer, PreferenceTokenizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return PreferenceTokenizer.Tokenize(_examples, tokenizer, options ?? new PreferenceTokenizationOptions());
    }

    /// <summary>Splits off a seeded random <paramref name="evalFraction"/> of the examples for evaluation.</summary>
    public (PreferenceDataset Train, PreferenceDataset Eval) Split(double evalFraction, int seed)
    {
        var (train, eval) = DatasetFiles.Split(_examples, evalFraction, seed);
        return (new(train), new(eval));
    }

    /// <inheritdoc/>
    public int Count => _examples.Length;

    /// <inheritdoc/>
    public PreferenceExample this[int index] => _examples[index];

    /// <inheritdoc/>
    public IEnumerator<PreferenceExample> GetEnumerator() => ((IEnumerable<PreferenceExample>)_examples).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
