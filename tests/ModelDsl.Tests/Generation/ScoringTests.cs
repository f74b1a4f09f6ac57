using System.Linq;
using ModelDsl.Generation;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generation;

/// <summary>Continuation scores are the log-probabilities of the candidate's tokens after the prompt.</summary>
public sealed class ScoringTests
{
    [Fact]
    public void Scores_equal_the_log_probabilities_of_each_candidate_computed_alone()
    {
        using var model = GenerationModels.NewLlama(seed: 61);
        var tokenizer = GenerationModels.Tokenizer;
        var generator = new TextGenerator(model, tokenizer);
        const string prompt = "Review: fine\nSentiment:";
        string[] candidates = [" Positive", " Negative", " somewhat mixed feelings"];
        var scores = generator.ScoreContinuations(prompt, candidates);

        var promptIds = tokenizer.EncodeToIds(prompt);
        for (var i = 0; i < candidates.Length; i++)
        {
            using var scope = NewDisposeScope();
            using var grad = no_grad();
            var candidateIds = tokenizer.EncodeToIds(candidates[i]);
            var all = promptIds.Concat(candidateIds).Select(id => (long)id).ToArray();
            var logProbs = model.Forward(tensor(all, [1, all.Length])).log_softmax(-1);   // (1, T, V), no padding
            var expected = 0.0;
            for (var j = 0; j < candidateIds.Count; j++)
                expected += logProbs[0, promptIds.Count + j - 1, candidateIds[j]].item<float>();
            Assert.Equal(candidateIds.Count, scores[i].TokenCount);
            Assert.Equal(expected, scores[i].LogLikelihood, 4);
            Assert.Equal(expected / candidateIds.Count, scores[i].MeanLogLikelihood, 4);
            Assert.True(scores[i].LogLikelihood < 0);
        }
    }
}
