using System;

namespace ModelDsl.Data;

/// <summary>
/// One training sequence: token ids and, at the same positions, the labels — the id itself where the
/// token is a target, <see cref="Ignore"/> where it is context (a prompt) or padding. The loss shifts them:
/// the logits at position t are scored against the label at t + 1.
/// </summary>
public sealed class TokenizedSequence
{
    /// <summary>The label of a position that is not scored (PyTorch's <c>ignore_index</c>).</summary>
    public const int Ignore = -100;

    /// <summary>Creates a sequence; <paramref name="ids"/> and <paramref name="labels"/> must be equally long.</summary>
    public TokenizedSequence(int[] ids, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(labels);
        if (ids.Length != labels.Length)
            throw new ArgumentException($"Ids ({ids.Length}) and labels ({labels.Length}) must have the same length.", nameof(labels));
        Ids = ids;
        Labels = labels;
    }

    /// <summary>Token ids.</summary>
    public int[] Ids { get; }

    /// <summary>Labels, <see cref="Ignore"/> where the position is not a target.</summary>
    public int[] Labels { get; }

    /// <summary>Number of tokens.</summary>
    public int Length => Ids.Length;

    /// <summary>Number of scored predictions (labels after the first position that are targets).</summary>
    public int TargetCount
    {
        get
        {
            var n = 0;
            for (var i = 1; i < Labels.Length; i++) if (Labels[i] != Ignore) n++;
            return n;
        }
    }
}
