using static TorchSharp.torch;

namespace ModelDsl.Training.Alignment;

/// <summary>One batch's DPO terms, each <c>[B]</c>: the per-pair loss (with gradients) and the detached implicit rewards.</summary>
/// <param name="Losses">Per-pair loss.</param>
/// <param name="ChosenRewards"><c>β·(log π(c) − log π_ref(c))</c>, detached.</param>
/// <param name="RejectedRewards"><c>β·(log π(r) − log π_ref(r))</c>, detached.</param>
public sealed record DpoTerms(Tensor Losses, Tensor ChosenRewards, Tensor RejectedRewards);

/// <summary>The DPO and IPO losses from answer log-probabilities (see <see cref="DpoOptions"/> for the formulas).</summary>
public static class DpoLoss
{
    /// <summary>
    /// Computes the per-pair loss and implicit rewards from the policy's and the reference's log-probabilities of the
    /// chosen and rejected answers (each <c>[B]</c>; the reference's carry no gradient).
    /// </summary>
    public static DpoTerms Compute(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected, DpoOptions options)
    {
        options.Validate();
        using var scope = NewDisposeScope();
        var chosenRatio = policyChosen - referenceChosen;           // (B)
        var rejectedRatio = policyRejected - referenceRejected;     // (B)
        var h = chosenRatio - rejectedRatio;                        // (B)
        var beta = options.Beta;
        var losses = options.Loss == PreferenceLoss.Ipo
            ? (h - 1 / (2 * beta)).square()
            : -nn.functional.logsigmoid(beta * h) * (1 - options.LabelSmoothing) - nn.functional.logsigmoid(-beta * h) * options.LabelSmoothing;
        return new DpoTerms(losses.MoveToOuterDisposeScope(),
            (beta * chosenRatio).detach().MoveToOuterDisposeScope(),
            (beta * rejectedRatio).detach().MoveToOuterDisposeScope());
    }
}
