using System.Linq;
using ModelDsl.Clients;
using ModelDsl.Generation;
using ModelDsl.Tests.Generation;
using ModelDsl.Tokenization;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Clients;

/// <summary>
/// What a user tried and missed: generated methods read the client's DefaultOptions (what [Prompt] declares wins),
/// answers end at the tokenizer's end-of-sequence token, and text answers lose their leading space as chat replies do.
/// </summary>
public sealed class PromptAnswerTests
{
    const int EndOfText = 50256;

    sealed class AskClient(ModelDsl.Models.ICausalLanguageModel model) : PromptClient(model, GenerationModels.Tokenizer)
    {
        public string Ask(string prompt) => GenerateText(prompt);
    }

    [Fact]
    public void A_generated_method_without_declared_options_uses_DefaultOptions()
    {
        manual_seed(7);
        var client = new MoodClient(new ClientTestGpt(), Tokenizers.Gpt2());
        var generator = new TextGenerator(client.Model, client.Tokenizer);
        var prompt = client.RenderTitle("a fox").Text;

        client.DefaultOptions = new GenerationOptions { MaxNewTokens = 2 };
        var shortTitle = client.Title("a fox");
        client.DefaultOptions = new GenerationOptions { MaxNewTokens = 9 };
        var longTitle = client.Title("a fox");

        Assert.Equal(generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 2, EndOfSequenceTokenId = EndOfText }).Text.Trim(), shortTitle);
        Assert.Equal(generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 9, EndOfSequenceTokenId = EndOfText }).Text.Trim(), longTitle);
        Assert.True(longTitle.Length > shortTitle.Length, $"'{longTitle}' is not longer than '{shortTitle}'");
    }

    [Fact]
    public void What_the_Prompt_declares_overrides_DefaultOptions()
    {
        manual_seed(8);
        var client = new MoodClient(new ClientTestGpt(), Tokenizers.Gpt2()) { DefaultOptions = new GenerationOptions { MaxNewTokens = 1 } };
        var answer = client.Answer("Where is the key?", []);   // [Prompt(..., MaxNewTokens = 6)]

        var expected = new TextGenerator(client.Model, client.Tokenizer)
            .Generate(client.RenderAnswer("Where is the key?", []).Text, new GenerationOptions { MaxNewTokens = 6, EndOfSequenceTokenId = EndOfText });
        Assert.Equal(6, expected.TokenIds.Count);
        Assert.Equal(expected.Text.Trim(), answer);
    }

    [Fact]
    public void An_answer_ends_at_the_tokenizers_end_of_sequence_token_without_its_leading_space()
    {
        using var model = GenerationModels.NewGpt2(seed: 44);
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        const string prompt = "The fox said";
        var free = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 8 });
        // Make <|endoftext|> the model's favourite wherever the third free token was: its logit there becomes twice the winner's.
        using (no_grad())
        {
            var embedding = model.transformer.wte.weight!;
            embedding[EndOfText].copy_(embedding[free.TokenIds[2]] * 2);
        }

        var answer = new AskClient(model) { DefaultOptions = new GenerationOptions { MaxNewTokens = 8 } }.Ask(prompt);

        var stopped = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = 8, EndOfSequenceTokenId = EndOfText });
        Assert.Equal(FinishReason.EndOfSequence, stopped.FinishReason);
        Assert.True(stopped.TokenIds.Count < 8);
        Assert.Equal(stopped.Text.Trim(), answer);
        Assert.False(answer.Length > 0 && char.IsWhiteSpace(answer[0]));
    }
}
