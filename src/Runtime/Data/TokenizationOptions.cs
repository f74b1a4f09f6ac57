namespace ModelDsl.Data;

/// <summary>How examples become token sequences.</summary>
public sealed record TokenizationOptions
{
    /// <summary>Longest sequence in tokens; longer examples are truncated (or, when packing, split).</summary>
    public int MaxLength { get; init; } = 256;

    /// <summary>
    /// Concatenate examples (each ended by <see cref="EosTokenId"/> when set) and cut the stream into
    /// sequences of exactly <see cref="MaxLength"/> tokens, so short examples do not waste padding.
    /// Attention then crosses example boundaries, as in ordinary pretraining.
    /// </summary>
    public bool Pack { get; init; }

    /// <summary>Token appended after each example (and trained on), or <see langword="null"/> for none.</summary>
    public int? EosTokenId { get; init; }

    /// <summary>Token used to pad batches (masked out of attention and loss).</summary>
    public int PadTokenId { get; init; }

    /// <summary>How chat examples are rendered.</summary>
    public ChatTemplate ChatTemplate { get; init; } = ChatTemplate.Default;
}
