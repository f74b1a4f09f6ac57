using System;

namespace ModelDsl.Data;

/// <summary>How preference examples become pairs of token sequences.</summary>
public sealed record PreferenceTokenizationOptions
{
    /// <summary>
    /// Longest prompt + answer in tokens. A longer one keeps its last <c>MaxLength</c> tokens (the start of the prompt
    /// is cut first, as TRL's <c>truncation_mode="keep_end"</c>), so the answers being compared survive;
    /// <see cref="TokenizedPreferences.TruncatedPairs"/> counts the pairs cut. <see langword="null"/>: no limit.
    /// </summary>
    public int? MaxLength { get; init; }

    /// <summary>Token appended after each answer (and scored with it), or <see langword="null"/> for none.</summary>
    public int? EosTokenId { get; init; }

    /// <summary>Token used to pad batches (masked out of attention and of the log-probabilities).</summary>
    public int PadTokenId { get; init; }

    /// <summary>
    /// The model's chat template, for <see cref="ChatPreference"/> rows: the prompt is the conversation rendered with
    /// the generation prompt, and an answer is what appending it as an assistant turn adds (as TRL extracts it).
    /// Chat rows without a template are refused.
    /// </summary>
    public Chat.ChatTemplate? ChatTemplate { get; init; }

    /// <summary>These options with <see cref="MaxLength"/> set to <paramref name="contextLength"/> when it is not set.</summary>
    public PreferenceTokenizationOptions WithDefaultMaxLength(long contextLength) =>
        MaxLength is not null ? this : this with { MaxLength = (int)Math.Min(contextLength, int.MaxValue) };
}
