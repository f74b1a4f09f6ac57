using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Tests.Generation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Clients;

/// <summary>The helpers generated clients call: fitting to the context, generating, choosing labels.</summary>
public sealed class PromptClientTests
{
    static readonly PromptExample[] Examples =
    [
        PromptExample.Of("review", "The first example review, rather long and detailed", "Positive"),
        PromptExample.Of("review", "The second example", "Negative"),
        PromptExample.Of("review", "Third", "Positive"),
    ];

    static readonly Dictionary<string, object?> Query = new() { ["review"] = "Great film" };

    [Fact]
    public void Overflow_drops_the_oldest_examples_first()
    {
        using var model = GenerationModels.NewGpt2(seed: 71);
        var client = new SentimentClient(model, GenerationModels.Tokenizer);
        var tokenizer = GenerationModels.Tokenizer;
        var lastTwo = PromptTemplate.RenderFewShot(SentimentClient.ClassifyTemplate, Query, Examples[1..]);
        var all = PromptTemplate.RenderFewShot(SentimentClient.ClassifyTemplate, Query, Examples);
        var window = (int)GenerationModels.Gpt2.Context;
        // Reserve exactly what leaves room for the last two examples but not for all three.
        var reserved = window - tokenizer.CountTokens(lastTwo);
        Assert.True(tokenizer.CountTokens(all) + reserved > window);

        var fitted = client.Fit(SentimentClient.ClassifyTemplate, Query, Examples, reserved);
        Assert.Equal(lastTwo, fitted.Text);
        Assert.Equal((2, 1), (fitted.ExamplesUsed, fitted.ExamplesDropped));
        Assert.Equal(tokenizer.CountTokens(lastTwo), fitted.Tokens);

        var roomy = client.Fit(SentimentClient.ClassifyTemplate, Query, Examples, reserved: 1);
        Assert.Equal(all, roomy.Text);
        Assert.Equal(0, roomy.ExamplesDropped);
    }

    [Fact]
    public void A_query_that_alone_does_not_fit_throws_with_the_counts_and_the_window()
    {
        using var model = GenerationModels.NewGpt2(seed: 72);
        var client = new SentimentClient(model, GenerationModels.Tokenizer);
        var longReview = string.Join(" ", Enumerable.Repeat("good", 70));
        var queryTokens = GenerationModels.Tokenizer.CountTokens(PromptTemplate.Render(SentimentClient.ClassifyTemplate,
            new Dictionary<string, object?> { ["review"] = longReview }));
        var error = Assert.Throws<PromptTooLongException>(() => client.Classify(longReview));
        Assert.Equal(queryTokens, error.PromptTokens);
        Assert.Equal(64, error.ContextLength);
        Assert.Contains($"The prompt has {queryTokens} tokens", error.Message);
        Assert.Contains("context window is 64 tokens", error.Message);
    }

    [Fact]
    public void Enum_choice_always_returns_a_declared_member()
    {
        using var model = GenerationModels.NewLlama(seed: 73);
        var client = new SentimentClient(model, GenerationModels.Tokenizer);
        foreach (var review in new[] { "", "ok", "?!", "The best thing I have ever seen in my whole life", "\n\n" })
            Assert.True(Enum.IsDefined(client.Classify(review)));
    }

    [Fact]
    public void Bool_choice_picks_the_more_likely_of_yes_and_no()
    {
        using var model = GenerationModels.NewGpt2(seed: 76);
        var client = new SentimentClient(model, GenerationModels.Tokenizer);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        foreach (var review in new[] { "Superb", "Terrible acting", "Meh" })
        {
            var scores = generator.ScoreContinuations($"Review: {review}\nIs it positive?", [" yes", " no"]);
            Assert.Equal(scores[0].LogLikelihood > scores[1].LogLikelihood, client.IsPositive(review));
        }
    }

    [Fact]
    public void String_method_generates_at_most_its_new_tokens()
    {
        using var model = GenerationModels.NewGpt2(seed: 74);
        var client = new SentimentClient(model, GenerationModels.Tokenizer);
        var summary = client.Summarize("A short story about a dog.");
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var expected = generator.Generate("Text: A short story about a dog.\nSummary:", new GenerationOptions { MaxNewTokens = 8 });
        Assert.Equal(expected.Text, summary);
        Assert.Equal(8, expected.TokenIds.Count);
    }

    [Fact]
    public void A_briefly_trained_model_picks_the_label_it_was_taught()
    {
        using var model = GenerationModels.NewGpt2(seed: 75);
        var tokenizer = GenerationModels.Tokenizer;
        (string Review, Sentiment Label)[] data = [("I loved every minute", Sentiment.Positive), ("Awful and boring", Sentiment.Negative)];
        var sequences = data.Select(d => tokenizer.EncodeToIds($"Review: {d.Review}\nSentiment: {d.Label}").Select(i => (long)i).ToArray()).ToArray();

        model.train();
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-2);
        for (var step = 0; step < 50; step++)
            foreach (var sequence in sequences)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var ids = tensor(sequence, [1, sequence.Length]);                          // (1, T)
                var logits = model.Forward(ids[.., ..^1]);                                 // (1, T-1, V)
                var loss = nn.functional.cross_entropy(logits.reshape(-1, GenerationModels.Vocab), ids[0, 1..]);
                loss.backward();
                optimizer.step();
            }
        model.eval();

        var client = new SentimentClient(model, tokenizer);
        foreach (var (review, label) in data)
            Assert.Equal(label, client.Classify(review));
    }
}
