using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Tests.Generation;
using Xunit;

namespace ModelDsl.Tests.Clients;

/// <summary>The IChatClient renders the conversation, returns the model's reply and streams the same reply.</summary>
public sealed class ChatClientTests
{
    static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "You are terse."),
        new(ChatRole.User, "Say something."),
    ];

    [Fact]
    public void The_template_prefixes_each_line_with_its_role()
    {
        Assert.Equal("system: You are terse.\nuser: Say something.\nassistant:", ChatTemplate.Render(Conversation));
    }

    [Fact]
    public async Task Returns_the_generated_reply_and_streams_it()
    {
        using var model = GenerationModels.NewGpt2(seed: 81);
        using IChatClient client = new LanguageModelChatClient(model, GenerationModels.Tokenizer);
        var options = new ChatOptions { MaxOutputTokens = 10 };

        var response = await client.GetResponseAsync(Conversation, options);
        var expected = new TextGenerator(model, GenerationModels.Tokenizer).Generate(ChatTemplate.Render(Conversation),
            new GenerationOptions { MaxNewTokens = 10, StopSequences = ChatTemplate.TurnStops, EndOfSequenceTokenId = 50256 });
        Assert.Equal(expected.Text.Trim(), response.Text);
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(ChatRole.Assistant, response.Messages[0].Role);
        Assert.Equal(expected.TokenIds.Count, response.Usage!.OutputTokenCount);

        var pieces = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation, options)) pieces.Add(update.Text);
        Assert.True(pieces.Count > 1, "the reply came in one piece");
        Assert.Equal(response.Text, string.Concat(pieces).TrimEnd());
    }
}
