using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;
using static TorchSharp.torch;

namespace ModelDsl.Training.Alignment;

/// <summary>
/// Direct preference optimisation (and IPO) on preference pairs: the policy is pushed to raise the chosen answer's
/// log-probability relative to the reference more than the rejected one's. Answer log-probabilities sum (IPO: average)
/// over answer tokens only. The loss is the mean over pairs; each step also reports TRL's metrics
/// <c>rewards/chosen</c>, <c>rewards/rejected</c>, <c>rewards/accuracies</c>, <c>rewards/margins</c>,
/// <c>logps/chosen</c> and <c>logps/rejected</c> (means over the step's pairs).
/// </summary>
public sealed class DpoObjective : TrainingObjective
{
    readonly nn.Module _policy;
    readonly ICausalLanguageModel _model;
    readonly TokenizedPreferences _data;
    readonly DpoReference.Bound _reference;

    /// <summary>
    /// Binds DPO on <paramref name="data"/> to <paramref name="policy"/> (a causal LM or a PEFT setup over one). Without a
    /// <paramref name="reference"/>, a setup with adapters uses itself with adapters disabled and anything else the
    /// policy's log-probabilities computed now (<see cref="DpoReference.Precomputed"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The options make no sense (β ≤ 0…), the policy is not a causal LM or has nothing trainable, or the reference does not fit it.</exception>
    public DpoObjective(nn.Module policy, TokenizedPreferences data, DpoOptions? options = null, DpoReference? reference = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(data);
        Options = options ?? new DpoOptions();
        Options.Validate();
        _model = policy as ICausalLanguageModel ?? throw new ArgumentException(
            $"{policy.GetType().Name} does not implement {nameof(ICausalLanguageModel)}; DPO needs the policy's next-token logits.", nameof(policy));
        if (!policy.parameters().Any(p => p.requires_grad))
            throw new ArgumentException(
                $"DPO on {policy.GetType().Name}: no parameter has requires_grad, so there is nothing to train; use a setup with adapters or unfreeze the model.", nameof(policy));
        if (data.Count == 0) throw new ArgumentException("The preference dataset is empty.", nameof(data));
        _policy = policy;
        _data = data;
        DataChecks.RequireFits(PreferenceBatch.Sequences(data), _model, "preference");
        Reference = reference ?? (policy is PeftSetup { Config: not (FullFineTuneConfig or SelectiveConfig), IsUnloaded: false }
            ? DpoReference.AdaptersDisabled
            : DpoReference.Precomputed);
        _reference = Reference.Bind(policy, data, Options);
    }

    /// <summary>β, label smoothing and the loss variant.</summary>
    public DpoOptions Options { get; }

    /// <summary>Where the reference log-probabilities come from.</summary>
    public DpoReference Reference { get; }

    /// <inheritdoc/>
    public override nn.Module Module => _policy;

    /// <inheritdoc/>
    public override int Count => _data.Count;

    /// <inheritdoc/>
    public override long LossWeight(IReadOnlyList<int> indices) => indices.Count;

    /// <inheritdoc/>
    public override ObjectiveLoss Loss(IReadOnlyList<int> indices, Device? device)
    {
        using var batch = PreferenceBatch.Collate(_data, indices, device);
        var (refChosen, refRejected) = _reference.LogProbs(indices, batch);
        var logits = _model.Forward(batch.InputIds, batch.AttentionMaskIfPadded);     // (2B, T, V)
        var (chosen, rejected) = DpoReference.Split(logits, batch, Options);           // (B), (B)
        var terms = DpoLoss.Compute(chosen, rejected, refChosen, refRejected, Options);
        return new ObjectiveLoss(terms.Losses.sum(), batch.TokenCount, MetricSums(terms, chosen, rejected));
    }

    /// <inheritdoc/>
    public override EvalRecord Evaluate(int batchSize, long step, Device? device)
    {
        double loss = 0;
        var sums = new Dictionary<string, double>();
        long scored = 0;
        for (var start = 0; start < _data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var indices = Enumerable.Range(start, Math.Min(batchSize, _data.Count - start)).ToList();
            using var batch = PreferenceBatch.Collate(_data, indices, device);
            var (refChosen, refRejected) = _reference.LogProbs(indices, batch);
            var (chosen, rejected) = DpoReference.Score(_policy, batch, Options);
            var terms = DpoLoss.Compute(chosen, rejected, refChosen, refRejected, Options);
            loss += terms.Losses.sum().to_type(ScalarType.Float64).item<double>();
            foreach (var (name, value) in MetricSums(terms, chosen, rejected)) sums[name] = sums.GetValueOrDefault(name) + value;
            scored += batch.TargetCount;
        }
        return new EvalRecord(step, loss / _data.Count, double.NaN, double.NaN, scored, sums.ToDictionary(m => m.Key, m => m.Value / _data.Count));
    }

    /// <inheritdoc/>
    public override void RequireFits(string role) => DataChecks.RequireFits(PreferenceBatch.Sequences(_data), _model, role);

    /// <inheritdoc/>
    public override string? DataNote => _data.TruncatedPairs > 0
        ? $"{_data.TruncatedPairs} of {_data.Count} preference pairs were longer than MaxLength and lost the start of their prompt"
        : null;

    /// <summary>The metrics TRL's DPOTrainer logs, as sums over the pairs (the trainer divides by the pair count).</summary>
    static Dictionary<string, double> MetricSums(DpoTerms terms, Tensor chosen, Tensor rejected)
    {
        static double Sum(Tensor t) => t.detach().to_type(ScalarType.Float64).sum().item<double>();
        return new()
        {
            ["rewards/chosen"] = Sum(terms.ChosenRewards),
            ["rewards/rejected"] = Sum(terms.RejectedRewards),
            ["rewards/accuracies"] = Sum(terms.ChosenRewards.gt(terms.RejectedRewards)),
            ["rewards/margins"] = Sum(terms.ChosenRewards - terms.RejectedRewards),
            ["logps/chosen"] = Sum(chosen),
            ["logps/rejected"] = Sum(rejected),
        };
    }
}
