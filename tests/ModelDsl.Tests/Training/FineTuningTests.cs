using System.Linq;
using ModelDsl.Data;
using ModelDsl.Tests.Training.Support;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Training;

public sealed class FineTuningTests(ITestOutputHelper output)
{
    // A labelled task: the completion is the sentence's verb, so it can be read off the prompt.
    static Dataset Task(int count, int seed) => new(ToyCorpus.Sentences(count, seed)
        .Select(s => new PromptCompletionExample(s + " verb:", " " + s.Split(' ')[2])));

    [Fact]
    public void Prompt_completion_training_scores_only_completions_and_raises_token_accuracy()
    {
        var options = new TokenizationOptions { MaxLength = 48, EosTokenId = CharTokenizer.Eos, PadTokenId = CharTokenizer.Pad };
        var eval = Task(32, seed: 21).Tokenize(ToyCorpus.Tokenizer, options);
        using var model = TestRuns.Model();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(40) with { BatchSize = 8, EvalEvery = 40 });

        var before = trainer.Evaluate(eval);
        var result = trainer.Fit(Task(200, seed: 20), Task(32, seed: 21), ToyCorpus.Tokenizer, options);
        var after = result.Evaluations.Single();

        output.WriteLine($"token accuracy {before.TokenAccuracy:P1} -> {after.TokenAccuracy:P1}; eval loss {before.Loss:F3} -> {after.Loss:F3}");
        // Only the completion (" likes" + end of text) is scored, never the prompt.
        Assert.Equal(eval.Sum(s => s.Labels.Count(l => l != TokenizedSequence.Ignore)), after.ScoredTokens);
        Assert.True(after.TokenAccuracy > 0.6, $"token accuracy {after.TokenAccuracy:P1} after fine-tuning");
        Assert.True(after.TokenAccuracy > before.TokenAccuracy + 0.4);
        Assert.True(after.Loss < before.Loss / 2);
    }
}
