using System;
using System.Linq;
using System.Threading.Tasks;
using ApprovalTests;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Tokenization;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Clients;

/// <summary>The generated client: rendered prompts, context fitting, and answers that are always declared values.</summary>
public class GeneratedClientTests
{
    static MoodClient NewClient(long seed)
    {
        manual_seed(seed);
        return new MoodClient(new ClientTestGpt(), Tokenizers.Gpt2());
    }

    static PromptExample Qa(string question, string answer) => PromptExample.Of("question", question, answer);

    [Fact]
    public void ZeroOneAndFewShotPromptsSnapshot()
    {
        var client = NewClient(1);
        var rendered = string.Join("\n=====\n",
            client.RenderAnswer("Where is the key?", []).Text,
            client.RenderAnswer("Where is the key?", [Qa("Where is the cat?", "On the mat.")]).Text,
            client.RenderAnswer("Where is the key?", [Qa("Where is the cat?", "On the mat."), Qa("Where is the dog?", "In the yard.")]).Text,
            client.RenderClassify("the soup is cold").Text);
        Approvals.Verify(rendered);
    }

    [Fact]
    public void DeclaredExamplesAreInThePromptByDefaultAndLeftOutForAFineTunedModel()
    {
        var client = NewClient(4);
        var fewShot = client.RenderClassify("the soup is cold");
        Assert.Equal(2, fewShot.ExamplesUsed);
        Assert.StartsWith("Text: what a lovely day\nMood: Happy\n\nText: I lost my keys again\nMood: Sad\n\n", fewShot.Text);

        client.UseDeclaredExamples = false;
        var bare = client.RenderClassify("the soup is cold");
        Assert.Equal("Text: the soup is cold\nMood:", bare.Text);
        Assert.Equal(0, bare.ExamplesUsed + bare.ExamplesDropped);
        Assert.True(bare.Tokens < fewShot.Tokens);

        // Examples the caller adds are not declared ones: they stay.
        client.AddExample("Classify", PromptExample.Of("text", "a storm broke the fence", "Angry"));
        Assert.Equal("Text: a storm broke the fence\nMood: Angry\n\nText: the soup is cold\nMood:", client.RenderClassify("the soup is cold").Text);
    }

    [Fact]
    public void TooManyExamplesAreDroppedOldestFirst()
    {
        var client = NewClient(2);
        var examples = Enumerable.Range(0, 12).Select(i => Qa($"What is example number {i}?", $"It is number {i}.")).ToList();

        var fitted = client.RenderAnswer("Which one?", examples);

        Assert.True(fitted.ExamplesDropped > 0);
        Assert.Equal(examples.Count - fitted.ExamplesDropped, fitted.ExamplesUsed);
        Assert.Contains("It is number 11.", fitted.Text);                // the newest survive
        Assert.DoesNotContain("It is number 0.", fitted.Text);
        Assert.True(fitted.Tokens + 6 <= ClientTestGpt.Declared.Context);
    }

    [Fact]
    public void AQueryThatAloneDoesNotFitThrowsWithTheNumbers()
    {
        var client = NewClient(3);
        var longQuestion = string.Join(" ", Enumerable.Repeat("why", 60));

        var error = Assert.Throws<PromptTooLongException>(() => client.Answer(longQuestion, []));

        Assert.Equal(48L, error.ContextLength);
        Assert.Equal(6, error.ReservedTokens);
        Assert.True(error.PromptTokens > 42);
        Assert.Contains("48", error.Message);
    }

    [Fact]
    public void ChoicesAreAlwaysDeclaredValues()
    {
        var client = NewClient(4);
        foreach (var text in new[] { "sunshine", "rain", "", "!!!", "a very long text about many many things" })
        {
            Assert.True(Enum.IsDefined(client.Classify(text)));
            _ = client.Check(text);   // a bool is always a valid answer; it must not throw
        }
    }

    [Fact]
    public async Task StreamingConcatenatesToTheGeneratedText()
    {
        var client = NewClient(5);
        var pieces = new System.Collections.Generic.List<string>();
        await foreach (var piece in client.Tell("a fox")) pieces.Add(piece);

        var direct = new TextGenerator(client.Model, client.Tokenizer)
            .Generate(client.RenderTell("a fox").Text, new GenerationOptions { MaxNewTokens = 5, EndOfSequenceTokenId = 50256 }).Text;
        // The answer starts at its first visible character, as the chat client's replies do.
        Assert.Equal(direct.TrimStart(), string.Concat(pieces));
    }
}
