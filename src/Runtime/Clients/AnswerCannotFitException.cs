using System;

namespace ModelDsl.Clients;

/// <summary>
/// A prompt method's smallest possible JSON answer takes more tokens than it may generate or than the context window
/// holds, so every answer would be cut off before it is complete.
/// </summary>
public sealed class AnswerCannotFitException : InvalidOperationException
{
    /// <summary>The prompt method.</summary>
    public string Method { get; }

    /// <summary>Tokens of the smallest valid JSON answer with the client's tokenizer.</summary>
    public int AnswerTokens { get; }

    /// <summary>The method's MaxNewTokens, or null when only the context window was too small.</summary>
    public int? MaxNewTokens { get; }

    /// <summary>The model's context window in tokens.</summary>
    public long ContextLength { get; }

    /// <summary>Creates the exception with the counts that did not fit.</summary>
    public AnswerCannotFitException(string method, int answerTokens, int? maxNewTokens, long contextLength)
        : base(MessageFor(method, answerTokens, maxNewTokens, contextLength))
    {
        Method = method;
        AnswerTokens = answerTokens;
        MaxNewTokens = maxNewTokens;
        ContextLength = contextLength;
    }

    static string MessageFor(string method, int answerTokens, int? maxNewTokens, long contextLength) =>
        answerTokens > contextLength
            ? $"The smallest JSON answer of '{method}' takes {answerTokens} tokens with this tokenizer, more than the model's context window of {contextLength} tokens"
              + (maxNewTokens is { } max ? $" (MaxNewTokens = {max})" : "") + ", so no answer can be complete. Answer a smaller type or use a model with a longer context."
            : $"The smallest JSON answer of '{method}' takes {answerTokens} tokens with this tokenizer, but MaxNewTokens = {maxNewTokens} "
              + $"(context window {contextLength} tokens), so every answer would be cut off. Raise MaxNewTokens on its [Prompt] or in DefaultOptions to at least {answerTokens}.";
}
