using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ModelDsl.Generation;
using ModelDsl.Generation.Structured;
using ModelDsl.Tokenization;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Clients;

/// <summary>
/// A generated client with async methods and record answers over a random-weight GPT-2 with the full GPT-2 vocabulary:
/// sampled record answers always deserialize, and async methods answer what the synchronous path answers.
/// </summary>
public sealed class GeneratedAsyncClientTests
{
    static StoryClient NewClient(long seed)
    {
        manual_seed(seed);
        return new StoryClient(new StoryTestGpt(), Tokenizers.Gpt2());
    }

    [Fact]
    public async Task Sampled_record_answers_from_concurrent_async_calls_always_deserialize()
    {
        var client = NewClient(30);
        var calls = Enumerable.Range(0, 24).Select(i => client.FactsAsync($"Story number {i}: the fox ran home.", CancellationToken.None)).ToArray();
        var answers = await Task.WhenAll(calls);

        Assert.All(answers, facts =>
        {
            Assert.NotNull(facts.Who);
            Assert.NotNull(facts.What);
            Assert.All(facts.Who, c => Assert.True(System.Enum.IsDefined(c.Felt)));
        });
        Assert.True(answers.Select(a => JsonSerializer.Serialize(a)).Distinct().Count() > 12, "sampled answers hardly vary");
    }

    [Fact]
    public void A_greedy_record_answer_is_the_constrained_generation_of_the_records_schema()
    {
        var client = NewClient(31);
        var character = client.MainCharacter("the fox");

        // The schema written independently here, as System.Text.Json reads Character (enums by name).
        const string schema = """
            {"type":"object","properties":{"Name":{"type":"string"},"Felt":{"enum":["Happy","Sad","Angry"]},"Age":{"type":["integer","null"]}},
             "required":["Name","Felt","Age"],"additionalProperties":false}
            """;
        var expected = new TextGenerator(client.Model, client.Tokenizer).Generate(client.RenderMainCharacter("the fox").Text, new GenerationOptions
        {
            MaxNewTokens = 48,
            ResponseConstraint = JsonSchemaConstraint.Parse(schema),
            EndOfSequenceTokenId = 50256,
        });
        Assert.Equal(expected.Text, JsonSerializer.Serialize(character, new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } }));
    }

    [Fact]
    public async Task Numbers_dates_and_lists_are_answered_as_json_of_their_type()
    {
        var client = NewClient(33);
        // Sampled at temperature 1 from random weights: whatever the model picks, the answer is a value of the declared type.
        var counts = Enumerable.Range(0, 6).Select(i => client.CountAnimals($"story {i}")).ToArray();
        var dates = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => client.WhenAsync($"story {i}")));
        var prices = Enumerable.Range(0, 6).Select(i => client.Prices($"story {i}")).ToArray();

        Assert.True(counts.Distinct().Count() > 1, $"sampled counts hardly vary: {string.Join(", ", counts)}");
        Assert.True(dates.Distinct().Count() > 1, $"sampled dates hardly vary: {string.Join(", ", dates)}");
        Assert.All(prices, Assert.NotNull);
    }

    [Theory]
    [InlineData("null", null)]
    [InlineData("42", 42)]
    public void A_json_null_reads_as_null_for_a_nullable_answer(string text, int? expected) =>
        Assert.Equal(expected, ModelDsl.Clients.StructuredAnswers.Read<int?>(new GeneratedText(text, [], 0, FinishReason.EndOfSequence)));

    [Fact]
    public void A_json_null_for_a_non_nullable_number_is_refused() =>
        Assert.Throws<System.FormatException>(() => ModelDsl.Clients.StructuredAnswers.Read<int>(new GeneratedText("null", [], 0, FinishReason.EndOfSequence)));

    [Fact]
    public async Task Async_text_and_choice_methods_answer_what_the_synchronous_path_answers()
    {
        var client = NewClient(32);
        var answer = await client.AskAsync("Where is the key?");
        var expected = new TextGenerator(client.Model, client.Tokenizer)
            .Generate(client.RenderAskAsync("Where is the key?").Text, new GenerationOptions { MaxNewTokens = 8, EndOfSequenceTokenId = 50256 }).Text.Trim();
        Assert.Equal(expected, answer);

        var mood = await client.MoodAsync("the soup is cold");
        Assert.True(System.Enum.IsDefined(mood));
    }
}
