using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tokenization;
using ModelDsl.Tests.Chat;
using Xunit;

namespace ModelDsl.Tests.Alignment;

/// <summary>Preference pairs with real tokenizers and chat templates: special tokens once per sequence, never before an answer.</summary>
public sealed class RealTokenizerPreferenceTests
{
    static Microsoft.ML.Tokenizers.Tokenizer Load(string model) =>
        Tokenizers.FromPretrained(Path.GetDirectoryName(RealTemplates.ConfigPath(model))!);

    [Fact]
    public void A_llama2_text_pair_starts_with_one_bos_and_its_answers_get_none()
    {
        var tokenizer = Load("llama2");
        var specials = SpecialTokens.Of(tokenizer);
        var pair = new PreferenceDataset([new TextPreference("The trade gave us grain", " and cost us timber.", " only.")])
            .Tokenize(tokenizer, new() { EosTokenId = specials.EosIds[0] })[0];

        Assert.True(specials.AddsBos);
        foreach (var sequence in new[] { pair.Chosen, pair.Rejected })
        {
            Assert.Equal(specials.BosId, sequence.Ids[0]);
            Assert.Equal(1, sequence.Ids.Count(id => id == specials.BosId));
        }
        var answer = pair.Chosen.Labels.Where(l => l != TokenizedSequence.Ignore).ToArray();
        Assert.Equal([.. tokenizer.EncodeText(" and cost us timber."), specials.EosIds[0]], answer);
    }

    [Fact]
    public void A_llama3_chat_pair_is_rendered_by_its_template_and_scores_the_assistant_turn_only()
    {
        var tokenizer = Load("llama3_2");
        var template = RealTemplates.Load("llama3_2");
        var pair = new PreferenceDataset([new ChatPreference([new ExampleMessage("user", "What did the trade bring?")], "Grain, for timber.", "Grain.")])
            .Tokenize(tokenizer, new() { ChatTemplate = template })[0];

        var bos = SpecialTokens.Of(tokenizer).BosId;
        Assert.Equal(1, pair.Chosen.Ids.Count(id => id == bos));   // written by the template, not added again
        Assert.Equal(bos, pair.Chosen.Ids[0]);
        Assert.Equal("Grain, for timber.<|eot_id|>", tokenizer.Decode(pair.Chosen.Labels.Where(l => l != TokenizedSequence.Ignore)));
        Assert.Equal("Grain.<|eot_id|>", tokenizer.Decode(pair.Rejected.Labels.Where(l => l != TokenizedSequence.Ignore)));
        Assert.EndsWith("<|start_header_id|>assistant<|end_header_id|>\n\n",
            tokenizer.Decode(pair.Chosen.Ids.Take(pair.Chosen.Labels.TakeWhile(l => l == TokenizedSequence.Ignore).Count())));
    }
}
