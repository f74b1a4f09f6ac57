using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.Training.Alignment;

/// <summary>
/// Reward modelling with the Bradley–Terry loss <c>−log σ(r(c) − r(r))</c>, the mean over preference pairs, as TRL's
/// RewardTrainer computes it. Each step also reports <c>rewards/chosen</c>, <c>rewards/rejected</c>,
/// <c>rewards/accuracies</c> and <c>rewards/margins</c> (means over the step's pairs).
/// </summary>
public sealed class RewardObjective : TrainingObjective
{
    readonly RewardModel _model;
    readonly TokenizedPreferences _data;

    /// <summary>Binds the Bradley–Terry loss on <paramref name="data"/> to <paramref name="model"/>.</summary>
    public RewardObjective(RewardModel model, TokenizedPreferences data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("The preference dataset is empty.", nameof(data));
        _model = model;
        _data = data;
    }

    /// <inheritdoc/>
    public override nn.Module Module => _model;

    /// <inheritdoc/>
    public override int Count => _data.Count;

    /// <inheritdoc/>
    public override long LossWeight(IReadOnlyList<int> indices) => indices.Count;

    /// <inheritdoc/>
    public override ObjectiveLoss Loss(IReadOnlyList<int> indices, Device? device)
    {
        using var batch = PreferenceBatch.Collate(_data, indices, device);
        var (chosen, rejected) = Rewards(batch);
        var losses = -nn.functional.logsigmoid(chosen - rejected);                      // (B)
        return new ObjectiveLoss(losses.sum(), batch.TokenCount, MetricSums(chosen, rejected));
    }

    /// <inheritdoc/>
    public override EvalRecord Evaluate(int batchSize, long step, Device? device)
    {
        using var eval = Layers.ModelActivity.Inference(_model, "Evaluate");
        using var noGrad = no_grad();
        double loss = 0;
        long scored = 0;
        var sums = new Dictionary<string, double>();
        for (var start = 0; start < _data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var indices = Enumerable.Range(start, Math.Min(batchSize, _data.Count - start)).ToList();
            using var batch = PreferenceBatch.Collate(_data, indices, device);
            var (chosen, rejected) = Rewards(batch);
            loss += (-nn.functional.logsigmoid(chosen - rejected)).sum().to_type(ScalarType.Float64).item<double>();
            foreach (var (name, value) in MetricSums(chosen, rejected)) sums[name] = sums.GetValueOrDefault(name) + value;
            scored += batch.TokenCount;
        }
        return new EvalRecord(step, loss / _data.Count, double.NaN, double.NaN, scored, sums.ToDictionary(m => m.Key, m => m.Value / _data.Count));
    }

    /// <inheritdoc/>
    public override void RequireFits(string role) =>
        DataChecks.RequireFits(PreferenceBatch.Sequences(_data), (ICausalLanguageModel)_model.LanguageModel, role);

    /// <inheritdoc/>
    public override string? DataNote => _data.TruncatedPairs > 0
        ? $"{_data.TruncatedPairs} of {_data.Count} preference pairs were longer than MaxLength and lost the start of their prompt"
        : null;

    (Tensor Chosen, Tensor Rejected) Rewards(Batch batch)
    {
        var rewards = Precision.LossPrecision.InFloat32(_model.Forward(batch.InputIds, batch.AttentionMask));   // (2B), scored in float32
        var pairs = (int)(rewards.shape[0] / 2);
        return (rewards[..pairs], rewards[pairs..]);
    }

    static Dictionary<string, double> MetricSums(Tensor chosen, Tensor rejected)
    {
        static double Sum(Tensor t) => t.detach().to_type(ScalarType.Float64).sum().item<double>();
        return new()
        {
            ["rewards/chosen"] = Sum(chosen),
            ["rewards/rejected"] = Sum(rejected),
            ["rewards/accuracies"] = Sum(chosen.gt(rejected)),
            ["rewards/margins"] = Sum(chosen - rejected),
        };
    }
}
