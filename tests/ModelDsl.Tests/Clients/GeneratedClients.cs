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
