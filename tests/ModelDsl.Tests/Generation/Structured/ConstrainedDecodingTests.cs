using System;
using System.Linq;
using System.Threading.Tasks;
using ModelDsl.Generation;
using ModelDsl.Generation.Structured;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Generation.Structured;

/// <summary>The budget rule, the end of a complete value, batching and the cache, with a random-weight GPT-2.</summary>
public sealed class ConstrainedDecodingTests
{
    const int EndOfText = 50256;
    const string Prompt = "JSON:";

    [Fact]
    public void The_tightest_budget_that_fits_the_smallest_value_still_ends_every_answer_valid()
    {
        using var model = ConstrainedSamplingTests.NewModel(seed: 5);
        var tokenizer = Tokenizers.Gpt2();
        var generator = new TextGenerator(model, tokenizer);
        var constraint = JsonSchemaConstraint.Parse(StructuredRecords.ReviewSchema);
        var validator = new SchemaValidator(StructuredRecords.ReviewSchema);
        var options = new GenerationOptions { Temperature = 1.0, ResponseConstraint = constraint, EndOfSequenceTokenId = EndOfText };

        // The smallest MaxNewTokens the generator takes, found from outside; one less is a clear error.
        var fewest = Enumerable.Range(1, 200).First(n => Fits(generator, options with { MaxNewTokens = n }));
        var error = Assert.Throws<ArgumentException>(() => generator.Generate(Prompt, options with { MaxNewTokens = fewest - 1 }));
        Assert.Contains($"MaxNewTokens = {fewest - 1}", error.Message);
        Assert.Contains(constraint.ShortestValue, error.Message);
        // Counting tokens rather than bytes leaves room: one token per byte of the shortest value always fits.
        Assert.True(fewest < constraint.MinimumBytes / 2, $"{fewest} tokens for a {constraint.MinimumBytes}-byte value");

        foreach (var extra in new[] { 0, 1, 3 })
            foreach (var result in generator.Generate(Enumerable.Repeat(Prompt, 48).ToArray(), options with { MaxNewTokens = fewest + extra, Seed = (ulong)extra }))
            {
                Assert.True(validator.IsValid(result.Text), result.Text);
                Assert.True(result.TokenIds.Count <= fewest + extra);
            }
    }

    static bool Fits(TextGenerator generator, GenerationOptions options)
    {
        try
        {
            generator.Generate(Prompt, options with { MaxNewTokens = options.MaxNewTokens, Temperature = 0 });
            return true;
        }
        catch (ArgumentException e) when (e.Message.Contains("No value of the schema fits"))
        {
            return false;
        }
    }

    [Fact]
    public void A_budget_that_cannot_fit_the_smallest_value_is_a_clear_error()
    {
        using var model = ConstrainedSamplingTests.NewModel(seed: 5);
        var generator = new TextGenerator(model, Tokenizers.Gpt2());
        var constraint = JsonSchemaConstraint.Parse(StructuredRecords.PersonSchema);
        var error = Assert.Throws<ArgumentException>(() => generator.Generate(Prompt, new GenerationOptions { MaxNewTokens = 2, ResponseConstraint = constraint }));
        Assert.Contains("MaxNewTokens = 2", error.Message);
        Assert.Contains(constraint.ShortestValue, error.Message);
    }

    [Fact]
    public void Without_an_end_of_sequence_token_a_complete_value_stops_the_row_at_once()
    {
        using var model = ConstrainedSamplingTests.NewModel(seed: 6);
        var generator = new TextGenerator(model, Tokenizers.Gpt2());
        var constraint = JsonSchemaConstraint.Parse("""{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}""");
        var results = generator.Generate(Enumerable.Repeat(Prompt, 16).ToArray(),
            new GenerationOptions { Temperature = 1.0, Seed = 1, MaxNewTokens = 40, ResponseConstraint = constraint });
        foreach (var result in results)
        {
            Assert.Contains(result.Text, new[] { """{"ok":true}""", """{"ok":false}""" });
            Assert.Equal(FinishReason.ValueComplete, result.FinishReason);
        }
    }

    [Fact]
    public void With_an_end_of_sequence_token_it_is_the_only_choice_once_the_value_is_complete()
    {
        using var model = ConstrainedSamplingTests.NewModel(seed: 6);
        var generator = new TextGenerator(model, Tokenizers.Gpt2());
        var constraint = JsonSchemaConstraint.Parse("""{"enum":["yes","no"]}""");
        var results = generator.Generate(Enumerable.Repeat(Prompt, 16).ToArray(),
            new GenerationOptions { Temperature = 1.0, Seed = 2, MaxNewTokens = 40, ResponseConstraint = constraint, EndOfSequenceTokenId = EndOfText });
        foreach (var result in results)
        {
            Assert.Contains(result.Text, new[] { "\"yes\"", "\"no\"" });
            Assert.Equal(FinishReason.EndOfSequence, result.FinishReason);
        }
    }

    [Fact]
    public void Sampling_with_and_without_the_cache_and_alone_or_batched_picks_the_same_tokens()
    {
        using var model = ConstrainedSamplingTests.NewModel(seed: 7);
        var generator = new TextGenerator(model, Tokenizers.Gpt2());
        var constraint = JsonSchemaConstraint.Parse(StructuredRecords.InvoiceSchema);
        string[] prompts = ["Invoice:", "The invoice below, as JSON:", "A"];
        var options = new GenerationOptions { MaxNewTokens = constraint.MinimumBytes + 10, ResponseConstraint = constraint, EndOfSequenceTokenId = EndOfText };
        var cached = generator.Generate(prompts, options);
        var recomputed = generator.Generate(prompts, options with { UseCache = false });
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(cached[i].TokenIds, recomputed[i].TokenIds);
            Assert.Equal(cached[i].TokenIds, generator.Generate(prompts[i], options).TokenIds);
            Assert.True(constraint.Accepts(cached[i].Text), cached[i].Text);
            Assert.Equal(cached[i].Text, cached[i].ParseJson().GetRawText());
        }
        var streamed = string.Concat(generator.StreamAsync(prompts[1], options).ToBlockingEnumerable());
        Assert.Equal(cached[1].Text, streamed);
    }

    [Fact]
    public void Top_k_and_top_p_only_ever_see_allowed_tokens()
    {
        using var model = ConstrainedSamplingTests.NewModel(seed: 8);
        var generator = new TextGenerator(model, Tokenizers.Gpt2());
        var constraint = JsonSchemaConstraint.Parse(StructuredRecords.ReviewSchema);
        var validator = new SchemaValidator(StructuredRecords.ReviewSchema);
        foreach (var options in new[]
                 {
                     new GenerationOptions { Temperature = 0.7, TopK = 5 },
                     new GenerationOptions { Temperature = 1.3, TopP = 0.5 },
                     new GenerationOptions { Temperature = 1.0, TopK = 100_000 },
                 })
            foreach (var result in generator.Generate(Enumerable.Repeat(Prompt, 16).ToArray(),
                         options with { Seed = 3, MaxNewTokens = constraint.MinimumBytes + 16, ResponseConstraint = constraint }))
                Assert.True(validator.IsValid(result.Text), result.Text);
    }

    [Fact]
    public void A_constraint_cannot_be_combined_with_stop_sequences()
    {
        var options = new GenerationOptions { ResponseConstraint = JsonSchemaConstraint.Parse("""{"type":"boolean"}"""), StopSequences = ["}"] };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("StopSequences", error.Message);
    }

    [Fact]
    public void A_tokenizer_without_single_byte_tokens_is_refused()
    {
        // Digits only: the integer grammar needs '-' too, which this vocabulary cannot spell.
        var digits = new TokenTable(TokenBytes.FromFunctions(10, id => [(byte)('0' + id)], _ => false));
        var constraint = JsonSchemaConstraint.Parse("""{"type":"integer","minimum":-5,"maximum":5}""");
        var error = Assert.Throws<NotSupportedException>(() => new TokenMasks(constraint.Automaton, digits, 10));
        Assert.Contains("0x2D", error.Message);
    }
}
