using System;
using ModelDsl.Tests.Training.Support;
using Xunit;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Training;

public sealed class PretrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void A_small_pretraining_run_on_generated_text_gets_below_half_of_ln_vocab()
    {
        var train = ToyCorpus.Tokenized(400, seed: 1);
        var eval = ToyCorpus.Tokenized(64, seed: 2);
        using var model = TestRuns.Model();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(maxSteps: 60) with { BatchSize = 16, EvalEvery = 20 });

        var before = trainer.Evaluate(eval).Loss;
        var result = trainer.Fit(train, eval);

        // The untrained model guesses near-uniformly; the grammar (fixed words, a few choices per slot)
        // makes most characters predictable, so the loss must fall well below half of ln(V).
        var uniform = Math.Log(ToyCorpus.Tokenizer.VocabularySize);
        var final = result.Evaluations[^1].Loss;
        output.WriteLine($"eval loss {before:F4} -> {final:F4}; ln(V) = {uniform:F4}; threshold {0.5 * uniform:F4}");
        Assert.InRange(before, 0.8 * uniform, 1.3 * uniform);
        Assert.True(final < 0.5 * uniform, $"eval loss {final:F4} is not below {0.5 * uniform:F4}");
        Assert.Equal(60, result.Step);
        Assert.Equal(3, result.Evaluations.Count);
        Assert.Equal(Math.Exp(final), result.Evaluations[^1].Perplexity, 9);
    }
}
