using System;
using ModelDsl.Chat;

namespace ModelDsl.Data;

/// <summary>How examples become token sequences.</summary>
public sealed record TokenizationOptions
{
    /// <summary>
    /// Longest sequence in tokens. Longer examples are truncated as Hugging Face's <c>truncation=True</c> does: the
    /// first <c>MaxLength</c> tokens are kept (an appended <see cref="EosTokenId"/> is cut with the rest), and
    /// <see cref="TokenizedDataset.TruncatedExamples"/> counts them. When packing, the stream is cut into sequences of
    /// this length. <see langword="null"/> (the default): the model's context window when a trainer tokenizes
    /// (<c>Trainer.Fit(Dataset, …)</c>), and no limit when <see cref="Dataset.Tokenize"/> is called on its own.
    /// </summary>
    public int? MaxLength { get; init; }

    /// <summary>
    /// Concatenate examples (each ended by <see cref="EosTokenId"/> when set) and cut the stream into
    /// sequences of exactly <see cref="MaxLength"/> tokens, so short examples do not waste padding.
    /// Attention then crosses example boundaries, as in ordinary pretraining.
    /// </summary>
    public bool Pack { get; init; }

    /// <summary>
    /// Token appended after each example (and trained on) unless it already ends with it; <see langword="null"/>: the
    /// tokenizer's EOS when its sequences end with one (<c>SpecialTokens.AddsEos</c>), else none. Each example also starts
    /// with the tokenizer's BOS, once, when its sequences start with one.
    /// </summary>
    public int? EosTokenId { get; init; }

    /// <summary>Token used to pad batches (masked out of attention and loss).</summary>
    public int PadTokenId { get; init; }

    /// <summary>
    /// How chat examples are rendered; the loss covers only assistant output (<see cref="ChatTemplate.RenderWithAssistantSpans"/>).
    /// <see langword="null"/> (the default): the tokenizer's own chat template (<c>tokenizer_config.json</c>'s
    /// <c>chat_template</c>), else <see cref="ChatTemplate.Simple"/>.
    /// </summary>
    public ChatTemplate? ChatTemplate { get; init; }

    /// <summary>These options with <see cref="MaxLength"/> set to <paramref name="contextLength"/> when it is not set.</summary>
    public TokenizationOptions WithDefaultMaxLength(long contextLength) =>
        MaxLength is not null ? this : this with { MaxLength = (int)Math.Min(contextLength, int.MaxValue) };
}
