using System;
using System.Collections.Generic;
using ModelDsl.Clients;
using Xunit;

namespace ModelDsl.Tests.Clients;

/// <summary>Templates render zero-, one- and few-shot prompts to exactly the expected text.</summary>
public sealed class PromptRenderingTests
{
    const string Template = "Review: {review}\nSentiment:";

    static readonly Dictionary<string, object?> Query = new() { ["review"] = "Loved it" };

    [Fact]
    public void Zero_shot_is_the_filled_template()
    {
        Assert.Equal("Review: Loved it\nSentiment:", PromptTemplate.RenderFewShot(Template, Query, []));
    }

    [Fact]
    public void One_shot_puts_the_example_and_its_answer_before_the_query()
    {
        var text = PromptTemplate.RenderFewShot(Template, Query, [PromptExample.Of("review", "Dull", "Negative")]);
        Assert.Equal("Review: Dull\nSentiment: Negative\n\nReview: Loved it\nSentiment:", text);
    }

    [Fact]
    public void Few_shot_keeps_the_examples_in_order()
    {
        var text = PromptTemplate.RenderFewShot("Q: {q}\nA: ", new Dictionary<string, object?> { ["q"] = 2.5 },
        [
            PromptExample.Of("q", 1, "one"),
            PromptExample.Of("q", 1.5, "one and a half"),
            PromptExample.Of("q", "two", "2"),
        ]);
        // The template ends with a space, so answers follow it directly; numbers use the invariant culture.
        Assert.Equal("Q: 1\nA: one\n\nQ: 1.5\nA: one and a half\n\nQ: two\nA: 2\n\nQ: 2.5\nA: ", text);
    }

    [Fact]
    public void Braces_escape_and_missing_values_are_named()
    {
        Assert.Equal("{json} x", PromptTemplate.Render("{{json}} {v}", new Dictionary<string, object?> { ["v"] = "x" }));
        var error = Assert.Throws<ArgumentException>(() => PromptTemplate.Render("Hi {name}", new Dictionary<string, object?> { ["nme"] = "x" }));
        Assert.Contains("{name}", error.Message);
        Assert.Throws<ArgumentException>(() => PromptTemplate.Render("Hi {name", Query));
    }
}
