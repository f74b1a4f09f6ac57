using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) as <c>torch.optim.AdamW</c> computes it, with its state in the open so a
/// checkpoint can hold it exactly: per parameter the first and second moments, and one shared step count.
/// <code>
/// p ← p · (1 − lr·wd)                         (decayed parameters only)
/// m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
/// p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
sealed class AdamW : IDisposable
{
    readonly Slot[] _slots;
    readonly double _beta1, _beta2, _eps, _weightDecay;

    sealed record Slot(string Name, Parameter Parameter, Tensor ExpAvg, Tensor ExpAvgSq, bool Decay);

    /// <summary>
    /// Creates the optimizer over named parameters; those marked <c>NoDecay</c> are never decayed.
    /// </summary>
    public AdamW(IEnumerable<(string Name, Parameter Parameter, bool NoDecay)> parameters,
        double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _slots = parameters.Select(p => new Slot(p.Name, p.Parameter,
            zeros_like(p.Parameter).DetachFromDisposeScope(),
            zeros_like(p.Parameter).DetachFromDisposeScope(), !p.NoDecay)).ToArray();
        if (_slots.Length == 0) throw new ArgumentException("There are no trainable parameters to optimise.", nameof(parameters));
        _weightDecay = weightDecay;
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
    }

    /// <summary>Optimizer steps taken so far.</summary>
    public long Step { get; private set; }

    /// <summary>Names of the parameters this optimizer updates, in order.</summary>
    public IEnumerable<string> ParameterNames => _slots.Select(s => s.Name);

    /// <summary>Names of the parameters that are weight-decayed.</summary>
    public IEnumerable<string> DecayedParameterNames => _slots.Where(s => s.Decay).Select(s => s.Name);

    /// <summary>Applies one update with learning rate <paramref name="lr"/> from the current gradients.</summary>
    public void Apply(double lr)
    {
        Step++;
        var bias1 = 1 - Math.Pow(_beta1, Step);
        var bias2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, Step));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var slot in _slots)
        {
            var grad = slot.Parameter.grad;
            if (grad is null) continue; // unused this step, as torch skips it
            if (slot.Decay && _weightDecay != 0) slot.Parameter.mul_(1 - lr * _weightDecay);
            slot.ExpAvg.lerp_(grad, 1 - _beta1);                              // β₁m + (1 − β₁)g in one pass, as torch does
            slot.ExpAvgSq.mul_(_beta2).addcmul_(grad, grad, value: 1 - _beta2);
            using var denom = slot.ExpAvgSq.sqrt().div_(bias2Sqrt).add_(_eps); // freed now, so the next slot reuses its memory
            slot.Parameter.addcdiv_(slot.ExpAvg, denom, value: -lr / bias1);
        }
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var slot in _slots) slot.Parameter.grad?.zero_();
    }

    /// <summary>The moments, keyed <c>{name}.exp_avg</c> and <c>{name}.exp_avg_sq</c> (views of the live state).</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> StateTensors() =>
        _slots.SelectMany(s => new[]
        {
            KeyValuePair.Create(s.Name + ".exp_avg", s.ExpAvg),
            KeyValuePair.Create(s.Name + ".exp_avg_sq", s.ExpAvgSq),
        });

    /// <summary>What keeps <paramref name="tensors"/> from loading into this optimizer (as a sentence's end), or <see langword="null"/>.</summary>
    public string? Mismatch(IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var expected = StateTensors().ToDictionary(kv => kv.Key, kv => kv.Value);
        var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        if (missing.Count > 0) return $"lacks {missing.Count} tensors, e.g. '{missing[0]}': it was saved for other parameters";
        var unexpected = tensors.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (unexpected.Count > 0) return $"holds {unexpected.Count} tensors this optimizer has no parameter for, e.g. '{unexpected[0]}'";
        foreach (var (name, live) in expected)
        {
            var saved = tensors[name];
            if (!saved.shape.SequenceEqual(live.shape))
                return $"tensor '{name}' has shape [{string.Join(", ", saved.shape)}]; the parameter needs [{string.Join(", ", live.shape)}]";
            if (!saved.is_floating_point()) return $"tensor '{name}' is stored as {saved.dtype}, not floating point";
        }
        return null;
    }

    /// <summary>Restores the moments from <paramref name="tensors"/> (as <see cref="StateTensors"/> names them) and the step count; checks everything first.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, long step)
    {
        if (Mismatch(tensors) is { } problem) throw new InvalidOperationException($"The optimizer state {problem}.");
        using var _ = no_grad();
        foreach (var (name, live) in StateTensors()) live.copy_(tensors[name]);
        Step = step;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
        }
    }
}
