using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generation.Structured;

namespace ModelDsl.Generation;

/// <summary>
/// How <see cref="TextGenerator"/> picks tokens and when it stops. The defaults decode greedily for up to 64 tokens
/// with the key/value cache.
/// </summary>
public sealed partial record GenerationOptions
{
    /// <summary>Most tokens to generate per prompt (fewer when the context window fills up first).</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Softmax temperature; 0 picks the most likely token (greedy) and ignores the other sampling options.</summary>
    public double Temperature { get; init; }

    /// <summary>When above 0, sample only among the <c>TopK</c> most likely tokens.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus sampling: sample among the most likely tokens whose probabilities sum to at least <c>TopP</c>; 1 keeps all.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Seed of the sampler's own random generator (global torch state is untouched); null draws a fresh seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Strings that end generation when they appear in the decoded output; the output is cut before the first one.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Token that ends a sequence (not included in the output); null when the model has none.</summary>
    public int? EndOfSequenceTokenId { get; init; }

    /// <summary>
    /// More tokens that end a sequence, as <see cref="EndOfSequenceTokenId"/> does (a model that ends turns with one token
    /// and text with another, e.g. <c>generation_config.json</c>'s <c>eos_token_id</c> list).
    /// </summary>
    public IReadOnlyList<int> EndOfSequenceTokenIds { get; init; } = [];

    /// <summary>Whether <paramref name="token"/> ends a sequence.</summary>
    public bool IsEndOfSequence(int token) => token == EndOfSequenceTokenId || EndOfSequenceTokenIds.Contains(token);

    /// <summary>Decode incrementally with a key/value cache when the model supports it; false recomputes the whole sequence each step.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>
    /// When set, every answer is one complete JSON value of this schema: before each pick (greedy or sampled) the
    /// tokens that would break the value, or leave too few tokens to finish it within <see cref="MaxNewTokens"/>, are
    /// masked out, and generation ends when the value is complete. Cannot be combined with <see cref="StopSequences"/>.
    /// </summary>
    public JsonSchemaConstraint? ResponseConstraint { get; init; }

    /// <summary>True when tokens are picked by argmax.</summary>
    public bool IsGreedy => Temperature == 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option that is out of range.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
            throw new ArgumentException($"MaxNewTokens must be at least 1, got {MaxNewTokens}.", nameof(MaxNewTokens));
        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
            throw new ArgumentException($"Temperature must be 0 (greedy) or a positive finite number, got {Temperature}.", nameof(Temperature));
        if (TopK < 0)
            throw new ArgumentException($"TopK must be 0 (off) or positive, got {TopK}.", nameof(TopK));
        if (!(TopP > 0 && TopP <= 1))
            throw new ArgumentException($"TopP must be in (0, 1], got {TopP}.", nameof(TopP));
        if (ResponseConstraint is not null && StopSequences.Count > 0)
            throw new ArgumentException("StopSequences cannot be combined with a ResponseConstraint: a stop sequence could cut the value short, and the constrained value ends generation itself.", nameof(StopSequences));
        foreach (var stop in StopSequences)
            if (string.IsNullOrEmpty(stop))
                throw new ArgumentException("Stop sequences must be non-empty strings.", nameof(StopSequences));
    }
}
