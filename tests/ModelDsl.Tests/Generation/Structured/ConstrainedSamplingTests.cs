using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelDsl.Generation;
using ModelDsl.Generation.Structured;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generation.Structured;

/// <summary>
/// A random-weight GPT-2 over the full GPT-2 vocabulary, sampled at temperature 1 under a schema: every answer must
/// parse, validate against the schema in an independent validator, and deserialize strictly to the record.
/// </summary>
public sealed class ConstrainedSamplingTests
{
    const int Slack = 16, EndOfText = 50256;

    /// <summary>
    /// Answers per schema: 1,000 in all across the three record types by default, so that CI stays fast; set
    /// MODELDSL_STRUCTURED_ANSWERS (for example to 1000) for that many per schema.
    /// </summary>
    static readonly int Answers = int.TryParse(Environment.GetEnvironmentVariable("MODELDSL_STRUCTURED_ANSWERS"), out var n) && n > 0 ? n : 334;

    const int BatchSize = 167;
    const string Prompt = "Extract the record as JSON:";

    internal static Gpt2LMHeadModel NewModel(long seed)
    {
        manual_seed(seed);
        var model = new Gpt2LMHeadModel(new Gpt2Config(Layers: 2, Dim: 64, Heads: 4, Vocab: 50257, Context: 256));
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(StructuredRecords.Names), MemberType = typeof(StructuredRecords))]
    public void Every_sampled_answer_parses_validates_and_deserializes(string record)
    {
        var schema = StructuredRecords.SchemaNamed(record);
        var (escaped, split) = SampleAndCheck(schema, JsonSchemaConstraint.Parse(schema), StructuredRecords.TypeNamed(record), StructuredRecords.Strict);
        // Short strings (Review's) may see no escape in a few hundred answers; each record still goes through one or the other.
        Assert.True(escaped + split > 0, "No answer contained an escape or a character split across tokens.");
    }

    [Fact]
    public void A_schema_made_by_AIJsonUtilities_constrains_the_same_way()
    {
        var schema = AIJsonUtilities.CreateJsonSchema(typeof(Invoice));
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions)
        {
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
        };
        var (escaped, split) = SampleAndCheck(schema.GetRawText(), JsonSchemaConstraint.FromSchema(schema), typeof(Invoice), options);
        // The answers really went through escapes and through characters split across tokens.
        Assert.True(escaped > 0, "No answer contained an escape.");
        Assert.True(split > 0, "No token ended inside a UTF-8 character.");
    }

    static (int Escaped, int Split) SampleAndCheck(string schema, JsonSchemaConstraint constraint, Type type, JsonSerializerOptions serializer)
    {
        using var model = NewModel(seed: 3);
        var tokenizer = Tokenizers.Gpt2();
        var generator = new TextGenerator(model, tokenizer);
        var validator = new SchemaValidator(schema);
        var bytes = TokenBytes.For(tokenizer);
        var options = new GenerationOptions
        {
            Temperature = 1.0,
            MaxNewTokens = FewestTokens(constraint, tokenizer) + Slack,
            ResponseConstraint = constraint,
            EndOfSequenceTokenId = EndOfText,
        };
        var escaped = 0;
        var splitCharacters = 0;
        for (var done = 0; done < Answers; done += BatchSize)
        {
            var rows = Math.Min(BatchSize, Answers - done);
            var results = generator.Generate(Enumerable.Repeat(Prompt, rows).ToArray(), options with { Seed = (ulong)(100 + done) });
            foreach (var result in results)
            {
                Assert.True(validator.IsValid(result.Text), $"Not valid against the schema: {result.Text}");
                Assert.NotNull(JsonSerializer.Deserialize(result.Text, type, serializer));
                Assert.Contains(result.FinishReason, new[] { FinishReason.EndOfSequence, FinishReason.Length });
                Assert.Equal(result.Text, Encoding.UTF8.GetString(result.TokenIds.SelectMany(id => bytes.GetTokenBytes(id)).ToArray()));
                if (result.Text.Contains('\\')) escaped++;
                splitCharacters += result.TokenIds.Count(id => !IsWholeUtf8(bytes.GetTokenBytes(id)));
            }
        }
        return (escaped, splitCharacters);
    }

    /// <summary>The smallest MaxNewTokens the generator accepts for the schema.</summary>
    internal static int FewestTokens(JsonSchemaConstraint constraint, Microsoft.ML.Tokenizers.Tokenizer tokenizer) =>
        constraint.MasksFor(tokenizer, 50257).TokensToFinish(constraint.Automaton.Start);

    static bool IsWholeUtf8(byte[] bytes)
    {
        try
        {
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
