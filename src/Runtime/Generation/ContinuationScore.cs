namespace ModelDsl.Generation;

/// <summary>How likely the model finds one candidate continuation of a prompt.</summary>
/// <param name="Candidate">The candidate text.</param>
/// <param name="LogLikelihood">Sum of the natural-log probabilities of the candidate's tokens given the prompt and the tokens before them.</param>
/// <param name="TokenCount">Tokens in the candidate.</param>
public sealed record ContinuationScore(string Candidate, double LogLikelihood, int TokenCount)
{
    /// <summary>Mean log-probability per token (compares candidates of different lengths more fairly).</summary>
    public double MeanLogLikelihood => LogLikelihood / TokenCount;
}
