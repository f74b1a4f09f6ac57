using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// What a <see cref="Trainer"/> optimises, bound to its data: what a micro-batch of examples is and what its loss is
/// (next-token prediction, DPO, a reward model's Bradley–Terry loss). The trainer's loop — sampling, accumulation,
/// clipping, AdamW, checkpoints, resume, evaluation and reporting — is the same for all of them.
/// </summary>
public abstract class TrainingObjective
{
    /// <summary>The module whose parameters the loss depends on; it must be the one the trainer optimises.</summary>
    public abstract nn.Module Module { get; }

    /// <summary>Number of examples the trainer samples from.</summary>
    public abstract int Count { get; }

    /// <summary>
    /// What the step's loss is averaged over for these examples (scored tokens for next-token loss, pairs for preference
    /// losses). A step's loss is the sum of its micro-batches' <see cref="ObjectiveLoss.Sum"/> divided by the sum of their weights.
    /// </summary>
    public abstract long LossWeight(IReadOnlyList<int> indices);

    /// <summary>Runs the module on the examples at <paramref name="indices"/> and returns their summed loss (which carries gradients).</summary>
    public abstract ObjectiveLoss Loss(IReadOnlyList<int> indices, Device? device);

    /// <summary>Scores every example without gradients, in batches of <paramref name="batchSize"/>.</summary>
    public abstract EvalRecord Evaluate(int batchSize, long step, Device? device);

    /// <summary>Throws <see cref="ArgumentException"/> when the data does not fit the module (ids, lengths), before any step runs.</summary>
    public abstract void RequireFits(string role);

    /// <summary>A line for the progress output when this objective trains and its data was changed on the way in (e.g. truncated), or <see langword="null"/>.</summary>
    public virtual string? DataNote => null;
}

/// <summary>A micro-batch's summed loss and what it adds to the step's records.</summary>
/// <param name="Sum">The loss summed over the micro-batch's weight units (a scalar with gradients).</param>
/// <param name="Tokens">Non-padding tokens processed.</param>
/// <param name="MetricSums">Sums, over the weight units, of the objective's own metrics; the step reports their means.</param>
public sealed record ObjectiveLoss(Tensor Sum, long Tokens, IReadOnlyDictionary<string, double>? MetricSums = null);
