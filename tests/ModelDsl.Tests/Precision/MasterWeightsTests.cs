using System;
using System.Linq;
using ModelDsl.Tests.Families;
using ModelDsl.Training;
using ModelDsl.Training.Precision;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using AdamW = ModelDsl.Training.AdamW;

namespace ModelDsl.Tests.Precision;

public sealed class MasterWeightsTests
{
    [Fact]
    public void Masters_keep_the_exact_float32_values_and_the_module_computes_in_bfloat16()
    {
        manual_seed(51);
        using var model = new Layers.Linear(6, 5);
        var originals = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var masters = MasterWeights.Create(model, ScalarType.BFloat16);
        Assert.Equal(["weight", "bias"], masters.Masters.Select(m => m.Name));
        foreach (var (name, master) in masters.Masters)
        {
            Assert.Equal(ScalarType.Float32, master.dtype);
            Assert.True(TensorCompare.Identical(originals[name], master));
        }
        foreach (var (name, working) in model.named_parameters())
        {
            Assert.Equal(ScalarType.BFloat16, working.dtype);
            Assert.True(working.requires_grad);
            Assert.True(TensorCompare.Identical(originals[name].to_type(ScalarType.BFloat16), working));
        }
    }

    [Fact]
    public void Gradients_reach_the_masters_in_float32_and_leave_the_working_copies()
    {
        manual_seed(52);
        using var model = new Layers.Linear(6, 5);
        using var masters = MasterWeights.Create(model, ScalarType.BFloat16);
        using var x = randn(3, 6).to_type(ScalarType.BFloat16);
        model.forward(x).sum().backward();
        var working = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.to_type(ScalarType.Float32));
        masters.CopyGradientsToMasters();
        foreach (var (name, master) in masters.Masters)
        {
            Assert.Equal(ScalarType.Float32, master.grad!.dtype);
            Assert.True(TensorCompare.Identical(working[name], master.grad!));
        }
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void Updates_below_bfloat16_spacing_accumulate_in_the_masters_but_vanish_without_them()
    {
        const int Steps = 40;
        const double LearningRate = 1e-4;                 // bfloat16 spacing just below 1.0 is 2⁻⁸ ≈ 0.0039
        using var x = ones(1, 4);

        using var mixed = OnesLayer();
        using var masters = MasterWeights.Create(mixed, ScalarType.BFloat16);
        using (var optimizer = new AdamW(masters.Masters.Select(m => (m.Name, m.Master, false)), weightDecay: 0))
        {
            for (var step = 0; step < Steps; step++)
            {
                mixed.forward(x.to_type(ScalarType.BFloat16)).sum().backward();
                masters.CopyGradientsToMasters();
                optimizer.Apply(LearningRate);
                masters.CopyMastersToWorking();
                optimizer.ZeroGrad();
            }
        }

        using var pure = OnesLayer();
        pure.to(ScalarType.BFloat16);
        using (var optimizer = new AdamW(pure.named_parameters().Select(p => (p.name, p.parameter, false)), weightDecay: 0))
        {
            for (var step = 0; step < Steps; step++)
            {
                pure.forward(x.to_type(ScalarType.BFloat16)).sum().backward();
                optimizer.Apply(LearningRate);
                optimizer.ZeroGrad();
            }
        }

        var master = masters.Masters.Single(m => m.Name == "weight").Master;
        // Adam's step with a constant gradient is lr each time: the master moved by Steps · lr.
        Assert.InRange(master.max().item<float>(), 1 - Steps * LearningRate - 1e-6, 1 - Steps * LearningRate + 1e-6);
        Assert.True(TensorCompare.Identical(master.to_type(ScalarType.BFloat16), mixed.weight));
        Assert.NotEqual(1f, mixed.weight.to_type(ScalarType.Float32).max().item<float>());
        Assert.Equal(1f, pure.weight.to_type(ScalarType.Float32).min().item<float>());    // every update rounded away
    }

    [Fact]
    public void Bfloat16_training_with_masters_ends_within_two_percent_of_float32()
    {
        manual_seed(53);
        using var features = randn(256, 16);
        using var trueWeight = randn(16, 1);
        using var targets = features.matmul(trueWeight) + 0.3 * randn(256, 1);  // the noise sets the loss floor, ≈ 0.09

        double Train(bool mixedPrecision)
        {
            manual_seed(54);
            using var model = new Layers.Linear(16, 1);
            using var masters = mixedPrecision ? MasterWeights.Create(model, ScalarType.BFloat16) : null;
            var parameters = masters?.Masters.Select(m => (m.Name, m.Master, false))
                ?? model.named_parameters().Select(p => (p.name, p.parameter, false));
            using var optimizer = new AdamW(parameters.ToList(), weightDecay: 0);
            var dtype = mixedPrecision ? ScalarType.BFloat16 : ScalarType.Float32;
            for (var step = 0; step < 300; step++)
            {
                using var scope = NewDisposeScope();
                var loss = (model.forward(features.to_type(dtype)).to_type(ScalarType.Float32) - targets).pow(2).mean();
                loss.backward();
                masters?.CopyGradientsToMasters();
                optimizer.Apply(3e-2);
                masters?.CopyMastersToWorking();
                optimizer.ZeroGrad();
            }
            using (no_grad())
            {
                // Evaluated in float32 with the weights the optimizer holds (the masters under mixed precision).
                var weight = masters?.Masters[0].Master ?? model.weight;
                var bias = masters?.Masters[1].Master ?? model.bias!;
                using var prediction = nn.functional.linear(features, weight, bias);
                return (prediction - targets).pow(2).mean().item<float>();
            }
        }

        var full = Train(mixedPrecision: false);
        var mixed = Train(mixedPrecision: true);
        Assert.InRange(full, 0.05, 0.15);
        Assert.InRange(mixed, full * 0.98, full * 1.02);
    }

    [Fact]
    public void What_cannot_be_paired_is_refused_with_the_reason()
    {
        using var model = new Layers.Linear(4, 4);
        Assert.Contains("float32", Assert.Throws<ArgumentOutOfRangeException>(() => MasterWeights.Create(model, ScalarType.Float32)).Message);
        using var frozen = new Layers.Linear(4, 4);
        foreach (var p in frozen.parameters()) p.requires_grad = false;
        Assert.Contains("no parameter", Assert.Throws<ArgumentException>(() => MasterWeights.Create(frozen, ScalarType.BFloat16)).Message);
        using var half = new Layers.Linear(4, 4);
        half.to(ScalarType.BFloat16);
        Assert.Contains("'weight' is BFloat16", Assert.Throws<ArgumentException>(() => MasterWeights.Create(half, ScalarType.BFloat16)).Message);

        using var masters = MasterWeights.Create(model, ScalarType.BFloat16);
        model.to(ScalarType.Float32);                                           // converted behind the masters' back
        Assert.Contains("Create the master weights again", Assert.Throws<InvalidOperationException>(() => masters.CopyMastersToWorking()).Message);
    }

    static Layers.Linear OnesLayer()
    {
        var layer = new Layers.Linear(4, 2, hasBias: false);
        using (no_grad()) layer.weight.fill_(1f);
        return layer;
    }
}
