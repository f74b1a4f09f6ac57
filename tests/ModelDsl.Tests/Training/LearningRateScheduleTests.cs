using System;
using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Warms_up_linearly_then_decays_along_a_cosine_to_the_minimum()
    {
        const double peak = 1e-3, min = 1e-4;
        // 10 warmup steps: step i gets peak·(i+1)/10.
        Assert.Equal(peak / 10, LearningRateSchedule.At(0, 110, 10, peak, min), 12);
        Assert.Equal(peak / 2, LearningRateSchedule.At(4, 110, 10, peak, min), 12);
        Assert.Equal(peak, LearningRateSchedule.At(10, 110, 10, peak, min), 12);
        // Half-way through the 100 decay steps the cosine is at its mid-point.
        Assert.Equal((peak + min) / 2, LearningRateSchedule.At(60, 110, 10, peak, min), 12);
        Assert.Equal(min + (peak - min) * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), LearningRateSchedule.At(35, 110, 10, peak, min), 12);
        Assert.Equal(min, LearningRateSchedule.At(110, 110, 10, peak, min), 12);
        for (var s = 11; s < 110; s++)
            Assert.True(LearningRateSchedule.At(s, 110, 10, peak, min) < LearningRateSchedule.At(s - 1, 110, 10, peak, min));
    }
}
