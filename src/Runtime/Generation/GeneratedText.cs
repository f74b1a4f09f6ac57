using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ModelDsl.Generation;

/// <summary>Why generation of one sequence ended.</summary>
public enum FinishReason
{
    /// <summary><see cref="GenerationOptions.MaxNewTokens"/> tokens were generated.</summary>
    Length,

    /// <summary>A stop sequence appeared in the output.</summary>
    StopSequence,

    /// <summary>The end-of-sequence token was generated.</summary>
    EndOfSequence,

    /// <summary>The context window was full.</summary>
    ContextFull,

    /// <summary>
    /// The value constrained by <see cref="GenerationOptions.ResponseConstraint"/> was complete and nothing could
    /// follow it, and there was no end-of-sequence token to end it.
    /// </summary>
    ValueComplete,
}

/// <summary>The continuation generated for one prompt.</summary>
/// <param name="Text">Decoded continuation, cut before the first stop sequence.</param>
/// <param name="TokenIds">Generated token ids (the end-of-sequence token excluded; tokens after a stop sequence included up to the one that completed it).</param>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="FinishReason">Why generation ended.</param>
public sealed record GeneratedText(string Text, IReadOnlyList<int> TokenIds, int PromptTokens, FinishReason FinishReason)
{
    /// <summary>
    /// <see cref="Text"/> parsed as one JSON value (what a <see cref="GenerationOptions.ResponseConstraint"/> guarantees).
    /// Deserialize it with <c>JsonSerializer.Deserialize&lt;T&gt;(element)</c>.
    /// </summary>
    /// <exception cref="FormatException">The text is not one complete JSON value.</exception>
    public JsonElement ParseJson()
    {
        try
        {
            using var document = JsonDocument.Parse(Text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"The generated text is not one complete JSON value (finish reason {FinishReason}): {e.Message}", e);
        }
    }
}
