using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>Next-token prediction (pretraining and supervised fine-tuning): mean cross-entropy over the scored tokens.</summary>
public sealed class NextTokenObjective : TrainingObjective
{
    readonly nn.Module _module;
    readonly ICausalLanguageModel _model;
    readonly TokenizedDataset _data;

    /// <summary>Binds next-token loss on <paramref name="data"/> to <paramref name="model"/> (a causal LM or a setup over one).</summary>
    public NextTokenObjective(nn.Module model, TokenizedDataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        _model = model as ICausalLanguageModel ?? throw new ArgumentException(
            $"{model.GetType().Name} does not implement {nameof(ICausalLanguageModel)}; next-token training needs next-token logits.", nameof(model));
        _module = model;
        _data = data;
    }

    /// <inheritdoc/>
    public override nn.Module Module => _module;

    /// <inheritdoc/>
    public override int Count => _data.Count;

    /// <inheritdoc/>
    public override long LossWeight(IReadOnlyList<int> indices) => indices.Sum(i => (long)_data[i].TargetCount);

    /// <inheritdoc/>
    public override ObjectiveLoss Loss(IReadOnlyList<int> indices, Device? device)
    {
        using var batch = Batch.Collate(indices.Select(i => _data[i]).ToList(), _data.PadTokenId, device);
        // A frozen head (LoRA, prompt tuning) lets the loss skip the [B, T, V] logits; a trained one needs them.
        if (_model is IFrozenHeadScoring scoring && scoring.TryHiddenForScoring(batch.InputIds, batch.AttentionMaskIfPadded) is { } scored)
        {
            using var hidden = scored.Hidden;
            return new ObjectiveLoss(CausalLmLoss.SumNllThroughHead(hidden, scored.HeadWeight, batch.Labels), batch.TokenCount);
        }
        var logits = _model.Forward(batch.InputIds, batch.AttentionMaskIfPadded);
        return new ObjectiveLoss(CausalLmLoss.SumNll(logits, batch.Labels), batch.TokenCount);
    }

    /// <inheritdoc/>
    public override EvalRecord Evaluate(int batchSize, long step, Device? device) => Evaluator.Run(_module, _data, batchSize, step, device);

    /// <inheritdoc/>
    public override void RequireFits(string role) => DataChecks.RequireFits(_data, _model, role);

    /// <inheritdoc/>
    public override string? DataNote => _data.TruncatedExamples > 0
        ? $"{_data.TruncatedExamples} of {_data.Count + _data.DroppedExamples} training examples were longer than MaxLength and were truncated"
        : null;
}
