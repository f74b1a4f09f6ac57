using System;
using System.Collections.Generic;

namespace ModelDsl.Models;

/// <summary>
/// The one check that token ids fit a model's vocabulary, made wherever ids enter from outside (training and evaluation
/// data, labels, prompts, candidates, pad and end-of-sequence ids) so that an id out of range is refused with a clear
/// message instead of reaching the embedding lookup.
/// </summary>
public static class TokenIdBounds
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="where"/> when an id of <paramref name="ids"/> lies
    /// outside <c>[0, vocabularySize)</c>.
    /// </summary>
    public static void Require(IEnumerable<int> ids, long vocabularySize, string where, string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
            if (id < 0 || id >= vocabularySize)
                throw new ArgumentException(Message(where, id, vocabularySize), parameterName);
    }

    /// <summary>The refusal's text: "<paramref name="where"/> holds token id N, outside the model's vocabulary of V; …".</summary>
    public static string Message(string where, long id, long vocabularySize) =>
        $"{where} holds token id {id}, outside the model's vocabulary of {vocabularySize}; "
        + "was it tokenized with another tokenizer (one whose vocabulary is larger than the model's), or is a pad/EOS id wrong?";
}
