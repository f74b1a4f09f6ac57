using System;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tests.Training.Support;
using Xunit;

namespace ModelDsl.Tests.Training;

/// <summary>
/// Examples longer than the model's context are truncated to it (and counted) when the trainer tokenizes, and token ids
/// or labels outside the vocabulary are refused in training and in evaluation before any forward.
/// </summary>
public sealed class DataLimitTests
{
    [Fact]
    public void Without_a_MaxLength_examples_are_truncated_to_the_models_context_and_counted()
    {
        using var model = TestRuns.Model(); // context 64, character tokens
        var log = new StringWriter();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(2), log);
        var longText = string.Concat(Enumerable.Repeat("the cat sees the dog. ", 8)); // 176 characters
        var data = new Dataset([new TextExample(longText), new TextExample("the sun."), new TextExample(longText), new TextExample("a dog.")]);

        var result = trainer.Fit(data, null, ToyCorpus.Tokenizer, new TokenizationOptions { PadTokenId = CharTokenizer.Pad });

        Assert.Equal(2, result.Step);
        Assert.Contains("2 of 4 training examples were longer than MaxLength and were truncated", log.ToString());
        var tokenized = data.Tokenize(ToyCorpus.Tokenizer, new TokenizationOptions().WithDefaultMaxLength(model.ContextLength));
        Assert.Equal(2, tokenized.TruncatedExamples);
        Assert.Equal(ToyCorpus.Tokenizer.EncodeToIds(longText).Take(64), tokenized[0].Ids);
    }

    [Fact]
    public void Evaluation_refuses_a_token_id_outside_the_vocabulary()
    {
        using var model = TestRuns.Model();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(2));
        var vocabulary = (int)model.VocabularySize;
        var data = new TokenizedDataset([new TokenizedSequence([2, 3, vocabulary + 5], [2, 3, 4])]);

        var error = Assert.Throws<ArgumentException>(() => trainer.Evaluate(data));

        Assert.Contains($"token id {vocabulary + 5}, outside the model's vocabulary of {vocabulary}", error.Message);
    }

    [Fact]
    public void A_label_outside_the_vocabulary_is_refused_before_training()
    {
        using var model = TestRuns.Model();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(2));
        var data = new TokenizedDataset([new TokenizedSequence([2, 3, 4], [TokenizedSequence.Ignore, 3, 999])]);

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(data));

        Assert.Contains("labels", error.Message);
        Assert.Contains("token id 999", error.Message);
    }
}
