using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// A padded batch: <see cref="InputIds"/>, <see cref="Labels"/> and <see cref="AttentionMask"/>, each
/// <c>[B, T]</c> int64, right-padded to the longest sequence. Dispose it when the step is done.
/// </summary>
public sealed class Batch : IDisposable
{
    Batch(Tensor inputIds, Tensor labels, Tensor attentionMask, long tokenCount, long targetCount)
    {
        TokenCount = tokenCount;
        InputIds = inputIds;
        Labels = labels;
        AttentionMask = attentionMask;
        TargetCount = targetCount;
    }

    /// <summary>Token ids, pad id past each sequence's end.</summary>
    public Tensor InputIds { get; }

    /// <summary>Labels, <see cref="TokenizedSequence.Ignore"/> at context and padding.</summary>
    public Tensor Labels { get; }

    /// <summary>1 for real tokens, 0 for padding.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>Scored predictions in the batch.</summary>
    public long TargetCount { get; }

    /// <summary>Number of tokens that are not padding.</summary>
    public long TokenCount { get; }

    /// <summary>
    /// Whether any position is padding. When not, <see cref="AttentionMask"/> is all ones and a model may take its
    /// plain causal path instead (no mask to build, and attention that skips the future).
    /// </summary>
    public bool HasPadding => TokenCount < InputIds.numel();

    /// <summary><see cref="AttentionMask"/> when the batch has padding, otherwise <see langword="null"/> (plain causal attention).</summary>
    public Tensor? AttentionMaskIfPadded => HasPadding ? AttentionMask : null;

    /// <summary>Pads <paramref name="sequences"/> into one batch on <paramref name="device"/>.</summary>
    public static Batch Collate(IReadOnlyList<TokenizedSequence> sequences, int padTokenId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("A batch needs at least one sequence.", nameof(sequences));
        var width = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * width];
        var labels = new long[ids.Length];
        var mask = new long[ids.Length];
        for (var b = 0; b < sequences.Count; b++)
        {
            var s = sequences[b];
            for (var t = 0; t < width; t++)
            {
                var at = b * width + t;
                var real = t < s.Length;
                ids[at] = real ? s.Ids[t] : padTokenId;
                labels[at] = real ? s.Labels[t] : TokenizedSequence.Ignore;
                mask[at] = real ? 1 : 0;
            }
        }
        long[] shape = [sequences.Count, width];
        return new Batch(
            tensor(ids, shape, device: device),
            tensor(labels, shape, device: device),
            tensor(mask, shape, device: device),
            sequences.Sum(s => (long)s.Length),
            sequences.Sum(s => (long)s.TargetCount));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        InputIds.Dispose();
        Labels.Dispose();
        AttentionMask.Dispose();
    }
}
