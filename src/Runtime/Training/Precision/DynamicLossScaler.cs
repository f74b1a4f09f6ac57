using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Training.Precision;

/// <summary>
/// Dynamic loss scaling for float16 training, as PyTorch's <c>torch.amp.GradScaler</c> does it: the loss is
/// multiplied by a large scale before backward so small gradients survive float16, the gradients are divided by it
/// again (in float32, on the master copies) and checked for inf/NaN; a step with a non-finite gradient is skipped and
/// the scale backs off, and after <see cref="GrowthInterval"/> clean steps in a row it grows.
/// </summary>
/// <remarks>
/// <para>One iteration: <c>ScaleLoss(loss).backward()</c>, copy the gradients to fp32 (<see cref="MasterWeights"/>),
/// optionally <see cref="Unscale"/> (e.g. before clipping), <see cref="Step"/>, <see cref="Update"/>.</para>
/// <code>
/// unscale: inv = float32(1 / float64(scale)); found_inf = any gradient value not finite (checked before scaling);
///          g ← g · inv (skipped when inv = 1)
/// update:  found_inf → scale ← float32(scale · backoff), tracker ← 0
///          else       → tracker + 1 = interval ? (scale ← float32(scale · growth) if finite; tracker ← 0)
///                                              : tracker ← tracker + 1
/// </code>
/// <para>The scale is a float32 value, as PyTorch keeps it in a float32 tensor; it may fall below 1 after many
/// overflows, as in PyTorch. Defaults are PyTorch's: 2^16, ×2, ×0.5, every 2000 steps.</para>
/// </remarks>
public sealed class DynamicLossScaler
{
    /// <summary>Creates a scaler (PyTorch's defaults).</summary>
    public DynamicLossScaler(double initScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        if (!(initScale > 0) || !double.IsFinite((float)initScale))
            throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "The initial scale must be a positive float32 value, e.g. 65536.");
        if (!(growthFactor > 1) || !double.IsFinite(growthFactor))
            throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "The growth factor must be > 1 (PyTorch: 2.0).");
        if (!(backoffFactor > 0 && backoffFactor < 1))
            throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "The backoff factor must be in (0, 1) (PyTorch: 0.5).");
        if (growthInterval < 1)
            throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval, "The growth interval must be at least 1 step (PyTorch: 2000).");
        Scale = (float)initScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
    }

    /// <summary>The current scale (float32).</summary>
    public float Scale { get; private set; }

    /// <summary>Consecutive steps without inf/NaN since the scale last changed (PyTorch's <c>_growth_tracker</c>).</summary>
    public int GrowthTracker { get; private set; }

    /// <summary>Multiplier after <see cref="GrowthInterval"/> clean steps.</summary>
    public double GrowthFactor { get; }

    /// <summary>Multiplier after a step with inf/NaN gradients.</summary>
    public double BackoffFactor { get; }

    /// <summary>Clean steps in a row before the scale grows.</summary>
    public int GrowthInterval { get; }

    /// <summary>Where the current iteration is: gradients not yet unscaled, unscaled, or stepped.</summary>
    public ScalerStage Stage { get; private set; } = ScalerStage.Ready;

    /// <summary>Whether this iteration's gradients had an inf or NaN; <see langword="null"/> before they were checked.</summary>
    public bool? FoundInf { get; private set; }

    /// <summary>
    /// Sets the scale and growth tracker saved from an earlier run (a checkpoint), between iterations. Refuses values no
    /// run of this scaler could have reached.
    /// </summary>
    public void Restore(float scale, int growthTracker)
    {
        if (Stage != ScalerStage.Ready)
            throw new InvalidOperationException("Restore() was called in the middle of an iteration; call it before ScaleLoss() or after Update().");
        if (!(scale > 0) || !float.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "A saved loss scale is a positive, finite float32 value.");
        if (growthTracker < 0 || growthTracker >= GrowthInterval)
            throw new ArgumentOutOfRangeException(nameof(growthTracker), growthTracker,
                $"A saved growth tracker lies in [0, {GrowthInterval}) for a growth interval of {GrowthInterval} steps.");
        Scale = scale;
        GrowthTracker = growthTracker;
    }

    /// <summary><paramref name="loss"/> × <see cref="Scale"/>; call <c>backward()</c> on the result.</summary>
    public Tensor ScaleLoss(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss.mul(Scale);
    }

    /// <summary>
    /// Divides the gradients of <paramref name="parameters"/> by the scale in place and records whether any was
    /// inf/NaN (returned). Parameters without a gradient are skipped. Call at most once per iteration, before
    /// <see cref="Step"/>; float16 gradients are refused (unscale the float32 master gradients). With no gradient at
    /// all nothing is recorded, and <see cref="Step"/> refuses, as PyTorch's does.
    /// </summary>
    public bool Unscale(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (Stage == ScalerStage.Unscaled) throw new InvalidOperationException("Unscale() was already called in this iteration; call Update() first.");
        if (Stage == ScalerStage.Stepped) throw new InvalidOperationException("Unscale() was called after Step(); call Update() to start the next iteration.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var gradients = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (gradients.Any(g => g.dtype == ScalarType.Float16))
            throw new InvalidOperationException(
                "Attempting to unscale float16 gradients, which would lose the small ones the scale protects: copy them to " +
                "the float32 master parameters first (MasterWeights.CopyGradientsToMasters) and unscale those.");
        Stage = ScalerStage.Unscaled;
        if (gradients.Count == 0) return false;                                   // nothing checked: Step() will refuse
        var nonFinite = stack(gradients.Select(g => isfinite(g).all().logical_not()).ToArray());
        var found = nonFinite.any().item<bool>();                                 // one sync for all gradients
        var inverse = (float)(1.0 / (double)Scale);
        if (inverse != 1f)
            foreach (var gradient in gradients) gradient.mul_(inverse);
        FoundInf = found;
        return found;
    }

    /// <summary>
    /// Unscales (unless <see cref="Unscale"/> already did) and runs <paramref name="optimizerStep"/> only when every
    /// gradient is finite. Returns whether the step ran.
    /// </summary>
    public bool Step(IEnumerable<Tensor> parameters, Action optimizerStep)
    {
        ArgumentNullException.ThrowIfNull(optimizerStep);
        if (Stage == ScalerStage.Stepped) throw new InvalidOperationException("Step() was already called in this iteration; call Update() first.");
        if (Stage == ScalerStage.Ready) Unscale(parameters);
        if (FoundInf is null)
            throw new InvalidOperationException(
                "None of the parameters has a gradient to check, so the step cannot be judged; call backward() on ScaleLoss(loss) " +
                "(and copy the gradients to the masters) before Step().");
        var stepped = FoundInf == false;
        if (stepped) optimizerStep();
        Stage = ScalerStage.Stepped;
        return stepped;
    }

    /// <summary>Updates the scale from this iteration's inf check (PyTorch's <c>_amp_update_scale_</c>) and starts the next iteration.</summary>
    public void Update()
    {
        if (FoundInf is not { } found)
            throw new InvalidOperationException("No inf check was recorded in this iteration; call Unscale() or Step() before Update().");
        if (found)
        {
            Scale = (float)(Scale * BackoffFactor);
            GrowthTracker = 0;
        }
        else if (GrowthTracker + 1 == GrowthInterval)
        {
            var grown = (float)(Scale * GrowthFactor);
            if (float.IsFinite(grown)) Scale = grown;   // never grows past float32's range to inf
            GrowthTracker = 0;
        }
        else
        {
            GrowthTracker++;
        }
        FoundInf = null;
        Stage = ScalerStage.Ready;
    }
}

/// <summary>Where a <see cref="DynamicLossScaler"/> iteration is (PyTorch's <c>OptState</c>).</summary>
public enum ScalerStage
{
    /// <summary>Gradients are still scaled.</summary>
    Ready,

    /// <summary>Gradients were unscaled and checked; the optimizer has not stepped.</summary>
    Unscaled,

    /// <summary>The optimizer stepped (or the step was skipped); <see cref="DynamicLossScaler.Update"/> comes next.</summary>
    Stepped,
}
