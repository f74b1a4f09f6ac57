using System;

namespace ModelDsl.Training.Metrics;

/// <summary>Perplexity: <c>exp</c> of the mean negative log-likelihood per scored token.</summary>
public static class Perplexity
{
    /// <summary>Perplexity from a mean token NLL (nats).</summary>
    public static double FromMeanNll(double meanNll) => Math.Exp(meanNll);

    /// <summary>Perplexity from a summed NLL over <paramref name="tokens"/> scored tokens.</summary>
    public static double FromTotals(double sumNll, long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        return Math.Exp(sumNll / tokens);
    }
}
