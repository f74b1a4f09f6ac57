using System;
using System.Reflection;
using System.Text.Json;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Tests.Generation.Structured;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Clients;

/// <summary>
/// The smallest JSON answer the generator writes for a record is valid under the record's schema and deserializes, and
/// a client whose smallest answer cannot fit MaxNewTokens or the context window says so when it is built or called.
/// </summary>
public sealed class SmallestAnswerTests
{
    static string Constant(Type client, string name) =>
        (string)client.GetField(name, BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;

    static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Theory]
    [InlineData(typeof(StoryClient), "__factsAsync", typeof(StoryRecord))]
    [InlineData(typeof(StoryClient), "__mainCharacter", typeof(Character))]
    [InlineData(typeof(VerdictClient), "__grade", typeof(Report))]
    [InlineData(typeof(TightClient), "__where", typeof(Span))]
    [InlineData(typeof(StoryClient), "__countAnimals", typeof(int))]
    [InlineData(typeof(StoryClient), "__whenAsync", typeof(DateOnly))]
    [InlineData(typeof(StoryClient), "__prices", typeof(System.Collections.Generic.List<decimal>))]
    public void The_smallest_answer_is_valid_under_the_schema_and_deserializes(Type client, string method, Type answer)
    {
        var smallest = Constant(client, method + "SmallestAnswer");
        Assert.True(new SchemaValidator(Constant(client, method + "Schema")).IsValid(smallest), smallest);
        var value = JsonSerializer.Deserialize(smallest, answer, Json);
        Assert.True(value is not null || Nullable.GetUnderlyingType(answer) is not null, $"{smallest} read as null for a non-nullable {answer.Name}");
    }

    [Fact]
    public void The_smallest_answers_are_the_minimal_values_of_each_member()
    {
        // Written from the records' declarations: empty list, empty string, null for nullables, 0, the first enum member.
        Assert.Equal("""{"Who":[],"What":"","When":null,"Rating":0}""", Constant(typeof(StoryClient), "__factsAsyncSmallestAnswer"));
        Assert.Equal("""{"Name":"","Felt":"Happy","Age":null}""", Constant(typeof(StoryClient), "__mainCharacterSmallestAnswer"));
        // A number, a nullable date and a list answered on their own.
        Assert.Equal("0", Constant(typeof(StoryClient), "__countAnimalsSmallestAnswer"));
        Assert.Equal("\"0001-01-01\"", Constant(typeof(StoryClient), "__whenAsyncSmallestAnswer"));
        Assert.Equal("[]", Constant(typeof(StoryClient), "__pricesSmallestAnswer"));
        Assert.Equal("""{"Grade":"a-plus","Verdict":"Approve"}""", Constant(typeof(VerdictClient), "__gradeSmallestAnswer"));
    }

    [Theory]
    // MDSL211's bound (letter runs + digit runs + 1, see its page) never exceeds the real GPT-2 count.
    [InlineData("""{"Name":"","Age":0}""", 4)]
    [InlineData("""{"Who":[],"What":"","When":null,"Rating":0}""", 7)]
    [InlineData("""{"Grade":"a-plus","Verdict":"Approve"}""", 6)]
    [InlineData("""{"A1":0,"A10":0,"x2y":[]}""", 10)]
    public void The_compile_time_bound_is_below_the_real_GPT2_count(string json, int bound)
    {
        var tokens = Tokenizers.Gpt2().EncodeText(json).Count;
        Assert.True(tokens >= bound, $"{json}: {tokens} GPT-2 tokens, bound {bound}");
    }

    [Fact]
    public void A_client_whose_smallest_answer_exceeds_its_MaxNewTokens_cannot_be_built()
    {
        var tokens = Tokenizers.Gpt2().EncodeText("""{"Start":"","End":""}""").Count;
        Assert.True(tokens > 4, $"the test needs more than 4 tokens, GPT-2 gives {tokens}");

        var error = Assert.Throws<AnswerCannotFitException>(() => new TightClient(new ClientTestGpt(), Tokenizers.Gpt2()));

        Assert.Equal("Where", error.Method);
        Assert.Equal(tokens, error.AnswerTokens);
        Assert.Equal(4, error.MaxNewTokens);
        Assert.Equal(48L, error.ContextLength);
        Assert.Contains("'Where'", error.Message);
        Assert.Contains($"{tokens} tokens", error.Message);
        Assert.Contains("MaxNewTokens = 4", error.Message);
        Assert.Contains("context window 48 tokens", error.Message);
    }

    [Fact]
    public void A_client_whose_smallest_answer_exceeds_the_context_window_cannot_be_built()
    {
        var tokens = Tokenizers.Gpt2().EncodeText("""{"Grade":"a-plus","Verdict":"Approve"}""").Count;
        Assert.True(tokens > 8, $"the test needs more than 8 tokens, GPT-2 gives {tokens}");

        var error = Assert.Throws<AnswerCannotFitException>(() => new TinyContextClient(new TinyContextGpt(), Tokenizers.Gpt2()));

        Assert.Equal(tokens, error.AnswerTokens);
        Assert.Equal(8L, error.ContextLength);
        Assert.Contains("context window of 8 tokens", error.Message);
    }

    [Fact]
    public void A_MaxNewTokens_from_DefaultOptions_is_checked_at_each_call()
    {
        var client = new DefaultBudgetClient(new ClientTestGpt(), Tokenizers.Gpt2());
        client.DefaultOptions = client.DefaultOptions with { MaxNewTokens = 3 };

        var error = Assert.Throws<AnswerCannotFitException>(() => client.Grade("an essay"));
        Assert.Equal("Grade", error.Method);
        Assert.Equal(3, error.MaxNewTokens);

        client.DefaultOptions = client.DefaultOptions with { MaxNewTokens = 24 };
        Assert.True(Enum.IsDefined(client.Grade("an essay").Grade));
    }
}
