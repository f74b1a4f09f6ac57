using System;

namespace ModelDsl.Generation;

/// <summary>A prompt (with the tokens reserved for the answer) does not fit in the model's context window.</summary>
public sealed class PromptTooLongException : ArgumentException
{
    /// <summary>Tokens in the prompt.</summary>
    public int PromptTokens { get; }

    /// <summary>Tokens that had to remain free after the prompt (new tokens to generate or the longest answer to score).</summary>
    public int ReservedTokens { get; }

    /// <summary>The model's context window in tokens.</summary>
    public long ContextLength { get; }

    /// <summary>Creates the exception with the counts that did not fit.</summary>
    public PromptTooLongException(int promptTokens, int reservedTokens, long contextLength)
        : base($"The prompt has {promptTokens} tokens and {reservedTokens} more must fit after it "
               + $"({promptTokens + reservedTokens} in all), but the context window is {contextLength} tokens. "
               + "Shorten the prompt or ask for fewer new tokens.")
    {
        PromptTokens = promptTokens;
        ReservedTokens = reservedTokens;
        ContextLength = contextLength;
    }
}
