using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Tests.Families;
using ModelDsl.Training;
using ModelDsl.Training.Precision;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using AdamW = ModelDsl.Training.AdamW;

namespace ModelDsl.Tests.Precision;

public sealed class DynamicLossScalerTests
{
    /// <summary>PyTorch's documented rule (GradScaler.update → _amp_update_scale_), re-implemented for the expectation.</summary>
    static List<float> PyTorchScales(IEnumerable<bool> overflows, float scale, double growth, double backoff, int interval)
    {
        var scales = new List<float>();
        var tracker = 0;
        foreach (var overflow in overflows)
        {
            if (overflow)
            {
                scale = (float)(scale * backoff);
                tracker = 0;
            }
            else if (++tracker == interval)
            {
                var grown = (float)(scale * growth);
                if (!float.IsInfinity(grown)) scale = grown;
                tracker = 0;
            }
            scales.Add(scale);
        }
        return scales;
    }

    /// <summary>Runs one scaler iteration per entry with a gradient that is finite or not; returns the scales and the steps taken.</summary>
    static (List<float> Scales, int Steps) Drive(DynamicLossScaler scaler, IEnumerable<bool> overflows)
    {
        using var parameter = new Parameter(zeros(3));
        var scales = new List<float>();
        var steps = 0;
        foreach (var overflow in overflows)
        {
            parameter.grad = overflow ? tensor(new[] { 1f, float.PositiveInfinity, 2f }) : tensor(new[] { 1f, 2f, 3f });
            scaler.Step([parameter], () => steps++);
            scaler.Update();
            scales.Add(scaler.Scale);
        }
        return (scales, steps);
    }

    [Fact]
    public void The_scale_follows_pytorchs_rule_over_a_scripted_run()
    {
        bool[] script = [false, false, true, false, false, false, false, false, false, true, true, false, false, false, true, false, false, false, false];
        var expected = PyTorchScales(script, 65536f, 2.0, 0.5, interval: 3);
        var (scales, steps) = Drive(new DynamicLossScaler(growthInterval: 3), script);
        Assert.Equal(expected, scales);
        Assert.Equal(script.Count(o => !o), steps);
        Assert.Contains(131072f, scales);                                          // it did grow
        Assert.Equal(scales[8] / 4, scales[10]);                                   // and backed off twice in a row
    }

    [Fact]
    public void With_pytorchs_defaults_the_scale_grows_after_2000_clean_steps()
    {
        var script = new[] { true }.Concat(Enumerable.Repeat(false, 2001)).ToArray();
        var expected = PyTorchScales(script, 65536f, 2.0, 0.5, interval: 2000);
        var (scales, _) = Drive(new DynamicLossScaler(), script);
        Assert.Equal(expected, scales);
        Assert.Equal(32768f, scales[1999]);
        Assert.Equal(65536f, scales[2000]);
    }

    [Fact]
    public void The_scale_never_grows_past_float32()
    {
        var top = MathF.Pow(2, 127);
        var (scales, _) = Drive(new DynamicLossScaler(initScale: top, growthInterval: 1), [false, false]);
        Assert.Equal(PyTorchScales([false, false], top, 2.0, 0.5, 1), scales);
        Assert.Equal([top, top], scales);
    }

    [Fact]
    public void Unscaling_divides_the_gradients_and_reports_non_finite_ones()
    {
        var scaler = new DynamicLossScaler(initScale: 1024);
        using var a = new Parameter(zeros(2));
        using var b = new Parameter(zeros(2));
        a.grad = tensor(new[] { 2048f, -512f });
        b.grad = tensor(new[] { float.NaN, 1f });
        Assert.True(scaler.Unscale([a, b]));
        Assert.Equal([2f, -0.5f], a.grad!.data<float>().ToArray());
        Assert.True(scaler.FoundInf);
        Assert.False(scaler.Step([a, b], () => throw new InvalidOperationException("must not step")));
        scaler.Update();
        Assert.Equal(512f, scaler.Scale);
    }

    [Fact]
    public void A_float16_step_whose_gradients_overflow_is_skipped_and_backs_off_without_a_nan_in_any_weight()
    {
        manual_seed(41);
        using var model = new Layers.Linear(8, 8);
        using var masters = MasterWeights.Create(model, ScalarType.Float16);
        using var optimizer = new AdamW(masters.Masters.Select(m => (m.Name, m.Master, false)), weightDecay: 0);
        var scaler = new DynamicLossScaler();
        using var target = zeros(4, 8);

        bool Iterate(Tensor x)
        {
            using var scope = NewDisposeScope();
            var loss = (model.forward(x.to_type(ScalarType.Float16)).to_type(ScalarType.Float32) - target).pow(2).mean();
            scaler.ScaleLoss(loss).backward();
            masters.CopyGradientsToMasters();
            var stepped = scaler.Step(masters.Masters.Select(m => m.Master), () => optimizer.Apply(1e-3));
            scaler.Update();
            masters.CopyMastersToWorking();
            optimizer.ZeroGrad();
            return stepped;
        }

        var before = masters.Masters.Select(m => m.Master.detach().clone()).ToArray();
        using var large = full(4, 8, 300f);                                      // 65536 × its gradient is far beyond float16
        Assert.False(Iterate(large));
        Assert.Equal(32768f, scaler.Scale);
        for (var i = 0; i < before.Length; i++)
            Assert.True(TensorCompare.Identical(before[i], masters.Masters[i].Master), $"master {masters.Masters[i].Name} changed");
        Assert.All(model.parameters(), p => Assert.True(isfinite(p).all().item<bool>()));
        Assert.All(masters.Masters, m => Assert.True(isfinite(m.Master).all().item<bool>()));

        using var small = randn(4, 8) * 0.1;
        Assert.True(Iterate(small));
        Assert.False(TensorCompare.Identical(before[0], masters.Masters[0].Master));
        Assert.All(model.parameters(), p => Assert.True(isfinite(p).all().item<bool>()));
    }

    [Fact]
    public void Misordered_calls_are_refused()
    {
        var scaler = new DynamicLossScaler();
        using var p = new Parameter(zeros(2));
        p.grad = ones(2);
        Assert.Throws<InvalidOperationException>(() => scaler.Update());          // nothing checked yet
        scaler.Unscale([p]);
        Assert.Throws<InvalidOperationException>(() => scaler.Unscale([p]));      // twice
        scaler.Step([p], () => { });
        Assert.Throws<InvalidOperationException>(() => scaler.Step([p], () => { }));
        scaler.Update();
        p.grad = ones(2, dtype: ScalarType.Float16);
        Assert.Contains("float16", Assert.Throws<InvalidOperationException>(() => scaler.Unscale([p])).Message);
        p.grad = null;
        Assert.Contains("None of the parameters has a gradient", Assert.Throws<InvalidOperationException>(() => scaler.Step([p], () => { })).Message);
    }
}
