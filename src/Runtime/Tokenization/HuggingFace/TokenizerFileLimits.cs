namespace ModelDsl.Tokenization;

/// <summary>
/// Bounds checked before anything is allocated for a Hugging Face tokenizer, so that a hostile or corrupt file fails with
/// a clear error naming the limit instead of exhausting memory. The defaults are far above real files (Gemma 3's
/// <c>tokenizer.json</c> is 33 MB with 262,144 tokens and 514,906 merges); raise one with <c>with</c> if a file needs it.
/// </summary>
public sealed record TokenizerFileLimits
{
    /// <summary>The defaults.</summary>
    public static TokenizerFileLimits Default { get; } = new();

    /// <summary>Largest <c>tokenizer.json</c> read, in bytes (256 MiB).</summary>
    public long MaxTokenizerJsonBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Largest <c>tokenizer_config.json</c> read, in bytes (32 MiB).</summary>
    public long MaxTokenizerConfigBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Most entries in <c>model.vocab</c> (4 Mi).</summary>
    public int MaxVocabularySize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most entries in <c>model.merges</c> (8 Mi).</summary>
    public int MaxMerges { get; init; } = 8 * 1024 * 1024;

    /// <summary>Most entries in <c>added_tokens</c> (1 Mi).</summary>
    public int MaxAddedTokens { get; init; } = 1024 * 1024;

    /// <summary>Largest token id accepted (ids index an array; 16 Mi).</summary>
    public int MaxTokenId { get; init; } = 16 * 1024 * 1024;

    /// <summary>Longest token text, in UTF-16 code units (16 Ki).</summary>
    public int MaxTokenLength { get; init; } = 16 * 1024;

    /// <summary>Longest regular expression in a <c>Split</c> or <c>Replace</c> pattern, in characters (16 Ki).</summary>
    public int MaxPatternLength { get; init; } = 16 * 1024;

    /// <summary>Deepest JSON nesting accepted (64).</summary>
    public int MaxJsonDepth { get; init; } = 64;
}
