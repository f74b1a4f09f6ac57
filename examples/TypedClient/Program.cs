// Typed clients in one screen: declare prompts as methods; the generator fills the template, adds the few-shot
// examples, fits the prompt to the context window, and returns a typed answer (an enum is chosen by likelihood, so
// it is always one of its members). The model here is untrained: the point is the API, not the answers.
// Usage: dotnet run --project examples/TypedClient
using System;
using System.Linq;
using ModelDsl;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Tokenization;
using static TorchSharp.torch;

manual_seed(4);
using var model = new ChatGpt();
var client = new ReviewClient(model, Tokenizers.Gpt2());

Sentiment sentiment = client.Classify("The soup was cold and the waiter rude.");   // always Positive or Negative
Console.WriteLine($"Classify → {sentiment} (with the {client.ExamplesFor(nameof(ReviewClient.Classify)).Count} declared examples)");
Console.WriteLine($"Summarize → \"{client.Summarize("A long day at the market ended with rain.")}\"");

// Examples are added until the window is full; the oldest are dropped first.
for (var i = 0; i < 30; i++)
    client.AddExample(nameof(ReviewClient.Classify), PromptExample.Of("review", $"Visit number {i} was fine.", "Positive"));
Console.WriteLine($"with {client.ExamplesFor(nameof(ReviewClient.Classify)).Count} examples, {client.ExamplesThatFit("Great!")} fit in the {model.ContextLength}-token window");
try
{
    client.Classify(string.Concat(Enumerable.Repeat("very ", 200)) + "long review");
}
catch (PromptTooLongException e)
{
    Console.WriteLine($"too long: {e.Message}");
}

public enum Sentiment { Positive, Negative }

[Gpt2(Layers = 2, Dim = 32, Heads = 2, Vocab = 50257, Context = 128)]
public partial class ChatGpt;

[InferenceClient<ChatGpt>]
public partial class ReviewClient
{
    [Prompt("Review: {review}\nSentiment:")]
    [Example("Loved every minute.", "Positive")]
    [Example("Never again.", "Negative")]
    public partial Sentiment Classify(string review);

    [Prompt("Text: {text}\nSummary:", MaxNewTokens = 8, Stop = ["\n"])]
    public partial string Summarize(string text);

    /// <summary>How many of the declared and added examples fit before <paramref name="review"/>.</summary>
    public int ExamplesThatFit(string review) =>
        FitToContext("Review: {review}\nSentiment:", new System.Collections.Generic.Dictionary<string, object?> { ["review"] = review },
            ExamplesFor(nameof(Classify)), 1).ExamplesUsed;
}
