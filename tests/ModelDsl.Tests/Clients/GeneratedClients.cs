using System.Collections.Generic;
using ModelDsl;
using ModelDsl.Clients;

namespace ModelDsl.Tests.Clients;

// A client completed by the real generator, over a tiny GPT-2 with the real vocabulary (so the shipped GPT-2 tokenizer applies).

[Gpt2(Layers = 1, Dim = 16, Heads = 2, Vocab = 50257, Context = 48)]
public partial class ClientTestGpt;

public enum Mood { Happy, Sad, Angry }

[InferenceClient<ClientTestGpt>]
public partial class MoodClient
{
    [Prompt("Text: {text}\nMood:")]
    [Example("what a lovely day", "Happy")]
    [Example("I lost my keys again", "Sad")]
    public partial Mood Classify(string text);

    [Prompt("Q: {question}\nA:", MaxNewTokens = 6)]
    public partial string Answer(string question, IEnumerable<PromptExample> examples);

    [Prompt("Is it true that {claim}?")]
    public partial bool Check(string claim);

    [Prompt("Once upon a time, {opening}", MaxNewTokens = 5)]
    public partial IAsyncEnumerable<string> Tell(string opening);

    [Prompt("A title for a story about {topic}:")]
    public partial string Title(string topic);
}

// Async methods and record answers, decoded under the schema the generator derives from the record.

[Gpt2(Layers = 1, Dim = 16, Heads = 2, Vocab = 50257, Context = 160)]
public partial class StoryTestGpt;

/// <summary>Someone in a story.</summary>
public sealed record Character(string Name, Mood Felt, int? Age);

/// <summary>The facts of a story: nested records in a list, a string that may need escaping, a nullable date, a number.</summary>
public sealed record StoryRecord(List<Character> Who, string What, System.DateOnly? When, double Rating);

[InferenceClient<StoryTestGpt>]
public partial class StoryClient
{
    [Prompt("Story: {story}\nFacts as JSON:", MaxNewTokens = 96, Temperature = 1.0)]
    public partial System.Threading.Tasks.Task<StoryRecord> FactsAsync(string story, System.Threading.CancellationToken cancellationToken);

    [Prompt("Story: {story}\nMain character:", MaxNewTokens = 48)]
    public partial Character MainCharacter(string story);

    [Prompt("Q: {question}\nA:", MaxNewTokens = 8)]
    public partial System.Threading.Tasks.ValueTask<string> AskAsync(string question);

    [Prompt("Story: {story}\nMood:")]
    public partial System.Threading.Tasks.Task<Mood> MoodAsync(string story);

    // Numbers, dates and lists answer through the same JSON engine as records.
    [Prompt("Story: {story}\nHow many animals:", MaxNewTokens = 8, Temperature = 1.0)]
    public partial int CountAnimals(string story);

    [Prompt("Story: {story}\nWhen:", MaxNewTokens = 16, Temperature = 1.0)]
    public partial System.Threading.Tasks.Task<System.DateOnly> WhenAsync(string story);

    [Prompt("Story: {story}\nPrices:", MaxNewTokens = 24, Temperature = 1.0)]
    public partial List<decimal> Prices(string story);
}

// Answer labels: an enum member's [Description] (else its name) and a bool's TrueLabel/FalseLabel are what the model is
// asked for; inside a record answer an enum stays as System.Text.Json writes it.

public enum Verdict
{
    [System.ComponentModel.Description("thumbs up")] Approve,
    [System.ComponentModel.Description("thumbs down")] Reject,
    Undecided,
}

public enum Grade
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("a-plus")] APlus,
    [System.ComponentModel.Description("failing")] F,
}

public sealed record Report(Grade Grade, Verdict Verdict);

[InferenceClient<ClientTestGpt>]
public partial class VerdictClient
{
    [Prompt("Text: {text}\nVerdict:")]
    public partial Verdict Judge(string text);

    [Prompt("Text: {text}\nVerdict:")]
    public partial System.Threading.Tasks.Task<Verdict> JudgeAsync(string text);

    [Prompt("Is it true that {claim}?", TrueLabel = "correct", FalseLabel = "wrong")]
    public partial bool Check(string claim);

    [Prompt("Text: {text}\nReport:", MaxNewTokens = 24, Temperature = 1.0)]
    public partial Report Grade(string text);
}

// Smallest answers: a record whose smallest JSON is more GPT-2 tokens than its declared MaxNewTokens (but not more than
// the compile-time bound, so the build has no MDSL211), and one that is more tokens than a tiny context window.

public sealed record Span(string Start, string End);

[InferenceClient<ClientTestGpt>]
public partial class TightClient
{
    [Prompt("Where in {text}?", MaxNewTokens = 4)]
    public partial Span Where(string text);
}

[Gpt2(Layers = 1, Dim = 16, Heads = 2, Vocab = 50257, Context = 8)]
public partial class TinyContextGpt;

[InferenceClient<TinyContextGpt>]
public partial class TinyContextClient
{
    [Prompt("{text}", MaxNewTokens = 8)]
    public partial Report Grade(string text);
}

[InferenceClient<ClientTestGpt>]
public partial class DefaultBudgetClient
{
    [Prompt("Text: {text}\nReport:")]
    public partial Report Grade(string text);
}
