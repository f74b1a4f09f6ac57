using System;

namespace ModelDsl.Training;

/// <summary>Linear warmup to the peak rate, then a half-cosine down to the minimum at the last step.</summary>
public static class LearningRateSchedule
{
    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public static double At(long step, long totalSteps, int warmupSteps, double peak, double min = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        // Step 0 already gets a non-zero rate: a zero-rate first step would waste a batch.
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        var decaySteps = Math.Max(1, totalSteps - warmupSteps);
        var progress = Math.Min(1.0, (double)(step - warmupSteps) / decaySteps);
        return min + (peak - min) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
