using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Data;

/// <summary>Token sequences ready for batching, with the pad id the batches use.</summary>
public sealed class TokenizedDataset : IReadOnlyList<TokenizedSequence>
{
    readonly TokenizedSequence[] _sequences;

    /// <summary>Creates a dataset from sequences.</summary>
    public TokenizedDataset(IEnumerable<TokenizedSequence> sequences, int padTokenId = 0, int droppedExamples = 0, int truncatedExamples = 0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        _sequences = sequences.ToArray();
        PadTokenId = padTokenId;
        DroppedExamples = droppedExamples;
        TruncatedExamples = truncatedExamples;
    }

    /// <summary>Token used for padding.</summary>
    public int PadTokenId { get; }

    /// <summary>Examples left out because truncation left them nothing to predict.</summary>
    public int DroppedExamples { get; }

    /// <summary>Examples longer than <see cref="TokenizationOptions.MaxLength"/> that were cut to it.</summary>
    public int TruncatedExamples { get; }

    /// <summary>Total scored predictions over all sequences.</summary>
    public long TargetCount => _sequences.Sum(s => (long)s.TargetCount);

    /// <inheritdoc/>
    public int Count => _sequences.Length;

    /// <inheritdoc/>
    public TokenizedSequence this[int index] => _sequences[index];

    /// <inheritdoc/>
    public IEnumerator<TokenizedSequence> GetEnumerator() => ((IEnumerable<TokenizedSequence>)_sequences).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
