using System.Collections.Generic;
using System.Threading;
using Microsoft.ML.Tokenizers;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Models;

namespace ModelDsl.Tests.Clients;

public enum Sentiment
{
    Positive,
    Negative,
}

/// <summary>Written the way a generated typed client is: each method fills its template and calls a PromptClient helper.</summary>
internal sealed class SentimentClient(ICausalLanguageModel model, Tokenizer tokenizer, GenerationOptions? options = null)
    : PromptClient(model, tokenizer, options)
{
    public const string ClassifyTemplate = "Review: {review}\nSentiment:";
    public const string SummarizeTemplate = "Text: {text}\nSummary:";

    // [Prompt("Review: {review}\nSentiment:")] partial Sentiment Classify(string review);
    public Sentiment Classify(string review) =>
        ChooseFromTemplate<Sentiment>(nameof(Classify), ClassifyTemplate, new Dictionary<string, object?> { ["review"] = review });

    // [Prompt("Review: {review}\nIs it positive?")] partial bool IsPositive(string review);
    public bool IsPositive(string review) =>
        ChooseBoolFromTemplate(nameof(IsPositive), "Review: {review}\nIs it positive?", new Dictionary<string, object?> { ["review"] = review });

    // [Prompt("Text: {text}\nSummary:", MaxNewTokens = 8)] partial string Summarize(string text);
    public string Summarize(string text, CancellationToken cancellationToken = default) =>
        GenerateFromTemplate(nameof(Summarize), SummarizeTemplate, new Dictionary<string, object?> { ["text"] = text },
            DefaultOptions with { MaxNewTokens = 8 }, cancellationToken);

    // Exposes the protected helpers to the tests.
    public FittedPrompt Fit(string template, IReadOnlyDictionary<string, object?> values, IReadOnlyList<PromptExample> examples, int reserved) =>
        FitToContext(template, values, examples, reserved);
}
