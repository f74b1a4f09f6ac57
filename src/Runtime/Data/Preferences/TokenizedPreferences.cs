using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Data;

/// <summary>
/// A tokenized preference: the prompt followed by the chosen answer, and the same prompt followed by the rejected one.
/// Each sequence's labels are <see cref="TokenizedSequence.Ignore"/> over the prompt, so only answer tokens are scored.
/// </summary>
/// <param name="Chosen">Prompt + chosen answer.</param>
/// <param name="Rejected">Prompt + rejected answer.</param>
public sealed record PreferencePair(TokenizedSequence Chosen, TokenizedSequence Rejected);

/// <summary>Preference pairs ready for batching, with the pad id the batches use.</summary>
public sealed class TokenizedPreferences : IReadOnlyList<PreferencePair>
{
    readonly PreferencePair[] _pairs;

    /// <summary>Creates the set; every sequence must score at least one answer token.</summary>
    public TokenizedPreferences(IEnumerable<PreferencePair> pairs, int padTokenId = 0, int truncatedPairs = 0)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _pairs = pairs.ToArray();
        for (var i = 0; i < _pairs.Length; i++)
        {
            if (_pairs[i] is null) throw new ArgumentException($"Pair {i} is null.", nameof(pairs));
            if (_pairs[i].Chosen.TargetCount == 0 || _pairs[i].Rejected.TargetCount == 0)
                throw new ArgumentException($"Pair {i} has an answer with no scored token; its log-probability would be 0 whatever the model does.", nameof(pairs));
        }
        PadTokenId = padTokenId;
        TruncatedPairs = truncatedPairs;
    }

    /// <summary>Token used for padding.</summary>
    public int PadTokenId { get; }

    /// <summary>Pairs at least one of whose sequences was longer than <see cref="PreferenceTokenizationOptions.MaxLength"/> and was cut.</summary>
    public int TruncatedPairs { get; }

    /// <inheritdoc/>
    public int Count => _pairs.Length;

    /// <inheritdoc/>
    public PreferencePair this[int index] => _pairs[index];

    /// <inheritdoc/>
    public IEnumerator<PreferencePair> GetEnumerator() => ((IEnumerable<PreferencePair>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
