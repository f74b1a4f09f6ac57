using ModelDsl.Training.Metrics;
using Xunit;

namespace ModelDsl.Tests.Training;

public sealed class RougeTests
{
    // The rouge-score package's README example (target, prediction):
    //   target "The quick brown fox jumps over the lazy dog" -> 9 tokens
    //   prediction "The quick brown dog jumps on the log." -> 8 tokens (the "." is a separator)
    // ROUGE-1: shared unigrams the×2, quick, brown, dog, jumps = 6 → P 6/8, R 6/9, F 12/17 = 0.70588 (published).
    // ROUGE-2: shared bigrams "the quick", "quick brown" = 2 → P 2/7, R 2/8, F 4/15.
    // ROUGE-L: LCS "the quick brown jumps the" = 5 → P 5/8, R 5/9, F 10/17 = 0.58824 (published).
    [Fact]
    public void Matches_the_reference_package_on_its_published_example()
    {
        var s = Rouge.Score("The quick brown fox jumps over the lazy dog", "The quick brown dog jumps on the log.");
        Assert.Equal(0.75, s.Rouge1.Precision, 12);
        Assert.Equal(6.0 / 9, s.Rouge1.Recall, 12);
        Assert.Equal(12.0 / 17, s.Rouge1.FMeasure, 12);
        Assert.Equal(2.0 / 7, s.Rouge2.Precision, 12);
        Assert.Equal(0.25, s.Rouge2.Recall, 12);
        Assert.Equal(4.0 / 15, s.Rouge2.FMeasure, 12);
        Assert.Equal(0.625, s.RougeL.Precision, 12);
        Assert.Equal(5.0 / 9, s.RougeL.Recall, 12);
        Assert.Equal(10.0 / 17, s.RougeL.FMeasure, 12);
    }

    // "the cat the cat" vs "the cat": unigram counts are clipped — "the" and "cat" match once each,
    // P 2/2, R 2/4, F 2/3; bigrams "the cat" ×2 in the target, once in the prediction → P 1, R 1/3, F 1/2.
    [Fact]
    public void Clips_repeated_ngrams_to_the_smaller_count()
    {
        var s = Rouge.Score("the cat the cat", "the cat");
        Assert.Equal(2.0 / 3, s.Rouge1.FMeasure, 12);
        Assert.Equal(0.5, s.Rouge2.FMeasure, 12);
        Assert.Equal(2.0 / 3, s.RougeL.FMeasure, 12); // LCS 2 of 4 and 2 of 2
    }

    // Case and punctuation do not matter; no stemming, so "cats" ≠ "cat": 2 of 3 tokens shared → F 2/3.
    [Fact]
    public void Lowercases_splits_on_non_alphanumerics_and_does_not_stem()
    {
        Assert.Equal(["hello", "world", "42"], Rouge.Tokenize("Hello, WORLD!! 42"));
        Assert.Equal(1.0, Rouge.Score("Hello, world!", "hello world").Rouge1.FMeasure, 12);
        Assert.Equal(2.0 / 3, Rouge.Score("the black cats", "the black cat").Rouge1.FMeasure, 12);
        Assert.Equal(0.0, Rouge.Score("abc", "").RougeL.FMeasure, 12);
    }

    // ROUGE-L rewards order: "a b c d" vs "d c b a" share all unigrams but their LCS is 1 → F 1/4.
    [Fact]
    public void Rouge_L_follows_the_longest_common_subsequence()
    {
        var s = Rouge.Score("a b c d", "d c b a");
        Assert.Equal(1.0, s.Rouge1.FMeasure, 12);
        Assert.Equal(0.0, s.Rouge2.FMeasure, 12);
        Assert.Equal(0.25, s.RougeL.FMeasure, 12);
    }

    [Fact]
    public void Perplexity_is_the_exponential_of_the_mean_token_nll()
    {
        Assert.Equal(System.Math.Exp(1.5), Perplexity.FromTotals(6.0, 4), 12);
        Assert.Equal(1.0, Perplexity.FromMeanNll(0), 12);
    }
}
