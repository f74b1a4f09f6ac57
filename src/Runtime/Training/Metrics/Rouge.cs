using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ModelDsl.Training.Metrics;

/// <summary>Precision, recall and F-measure of one ROUGE variant.</summary>
/// <param name="Precision">Overlap over the prediction's size.</param>
/// <param name="Recall">Overlap over the reference's size.</param>
/// <param name="FMeasure">Harmonic mean of the two (0 when both are 0).</param>
public readonly record struct RougeScore(double Precision, double Recall, double FMeasure);

/// <summary>ROUGE-1, ROUGE-2 and ROUGE-L of one prediction against one reference.</summary>
/// <param name="Rouge1">Unigram overlap.</param>
/// <param name="Rouge2">Bigram overlap.</param>
/// <param name="RougeL">Longest common subsequence.</param>
public readonly record struct RougeScores(RougeScore Rouge1, RougeScore Rouge2, RougeScore RougeL);

/// <summary>
/// ROUGE as the reference <c>rouge-score</c> package defines it (no stemming): text is lowercased, every
/// run of characters outside <c>[a-z0-9]</c> separates tokens; ROUGE-N counts clipped n-gram matches;
/// ROUGE-L uses the longest common subsequence of the token lists.
/// </summary>
public static partial class Rouge
{
    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    /// <summary>The tokens ROUGE compares.</summary>
    public static string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NonAlphanumeric().Replace(text.ToLowerInvariant(), " ")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Scores <paramref name="prediction"/> against <paramref name="reference"/>.</summary>
    public static RougeScores Score(string reference, string prediction)
    {
        var target = Tokenize(reference);
        var predicted = Tokenize(prediction);
        return new RougeScores(RougeN(target, predicted, 1), RougeN(target, predicted, 2), RougeL(target, predicted));
    }

    /// <summary>Mean F-measures over pairs of (reference, prediction).</summary>
    public static (double Rouge1, double Rouge2, double RougeL) MeanF(IEnumerable<(string Reference, string Prediction)> pairs)
    {
        var scores = pairs.Select(p => Score(p.Reference, p.Prediction)).ToList();
        if (scores.Count == 0) throw new ArgumentException("No pairs to score.", nameof(pairs));
        return (scores.Average(s => s.Rouge1.FMeasure), scores.Average(s => s.Rouge2.FMeasure), scores.Average(s => s.RougeL.FMeasure));
    }

    static RougeScore RougeN(string[] target, string[] predicted, int n)
    {
        var targetGrams = NGrams(target, n);
        var predictedGrams = NGrams(predicted, n);
        var overlap = targetGrams.Sum(kv => Math.Min(kv.Value, predictedGrams.GetValueOrDefault(kv.Key)));
        return Make(overlap, predictedGrams.Values.Sum(), targetGrams.Values.Sum());
    }

    static RougeScore RougeL(string[] target, string[] predicted) =>
        Make(LongestCommonSubsequence(target, predicted), predicted.Length, target.Length);

    static RougeScore Make(int overlap, int predictedCount, int targetCount)
    {
        var precision = overlap / Math.Max(predictedCount, 1.0);
        var recall = overlap / Math.Max(targetCount, 1.0);
        var f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }

    static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i + n <= tokens.Length; i++)
        {
            var gram = string.Join(' ', tokens, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }

    static int LongestCommonSubsequence(string[] a, string[] b)
    {
        // One row of the classic dynamic programme at a time.
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (var x in a)
        {
            for (var j = 1; j <= b.Length; j++)
                current[j] = x == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
