using System;

namespace ModelDsl.Generation;

/// <summary>How a model's request queue batches the requests of many callers (see <see cref="TextGenerator.ConfigureBatching"/>).</summary>
public sealed record BatchingOptions
{
    /// <summary>Most prompts decoded in one batch; a single request with more prompts is still decoded whole.</summary>
    public int MaxBatchRows { get; init; } = 32;

    /// <summary>
    /// How long the queue waits, after returning a batch's answers, for those callers to ask again before it starts a
    /// smaller batch (and, before the model's first batch, for concurrent callers to arrive); and, while requests keep
    /// arriving less than this apart, for the burst to end (five windows at most). Without it, callers in a loop split
    /// into alternating large and small batches, and callers starting together into a small batch and a large one.
    /// </summary>
    public TimeSpan GatherWindow { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Throws <see cref="ArgumentException"/> naming the option that is out of range.</summary>
    public void Validate()
    {
        if (MaxBatchRows < 1)
            throw new ArgumentException($"MaxBatchRows must be at least 1, got {MaxBatchRows}.", nameof(MaxBatchRows));
        if (GatherWindow < TimeSpan.Zero || GatherWindow > TimeSpan.FromSeconds(1))
            throw new ArgumentException($"GatherWindow must be between 0 and 1 second, got {GatherWindow}.", nameof(GatherWindow));
    }
}
