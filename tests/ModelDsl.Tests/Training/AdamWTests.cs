using System.Linq;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using AdamW = ModelDsl.Training.AdamW;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

public sealed class AdamWTests
{
    [Fact]
    public void Matches_torch_AdamW_over_several_steps_with_decay_on_matrices_only()
    {
        var generator = new Generator(seed: 3);
        var initial = new[] { randn([4, 3], generator: generator), randn([3], generator: generator) };
        var targets = new[] { randn([4, 3], generator: generator), randn([3], generator: generator) };
        var ours = initial.Select(t => new Parameter(t.clone())).ToArray();
        var torchMatrix = new[] { new Parameter(initial[0].clone()) };
        var torchVector = new[] { new Parameter(initial[1].clone()) };
        using var adamw = new AdamW([("w", ours[0], false), ("b", ours[1], true)], weightDecay: 0.1, beta1: 0.8, beta2: 0.95, eps: 1e-6);
        // The reference: torch's own AdamW with the vector in a group without decay.
        var reference = optim.AdamW(torchMatrix, lr: 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-6, weight_decay: 0.1);
        var referenceNoDecay = optim.AdamW(torchVector, lr: 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-6, weight_decay: 0);

        for (var step = 0; step < 5; step++)
        {
            Loss(ours, targets).backward();
            adamw.Apply(0.05);
            adamw.ZeroGrad();
            Loss([torchMatrix[0], torchVector[0]], targets).backward();
            reference.step();
            referenceNoDecay.step();
            reference.zero_grad();
            referenceNoDecay.zero_grad();
        }

        Assert.Equal(5, adamw.Step);
        Assert.True(ours[0].allclose(torchMatrix[0], rtol: 1e-5, atol: 1e-6), "decayed matrix differs from torch.optim.AdamW");
        Assert.True(ours[1].allclose(torchVector[0], rtol: 1e-5, atol: 1e-6), "undecayed vector differs from torch.optim.AdamW");
        Assert.False(ours[0].allclose(initial[0]), "the optimizer did not move the weights");
        Assert.Equal(["w"], adamw.DecayedParameterNames);
    }

    static Tensor Loss(Tensor[] parameters, Tensor[] targets) =>
        parameters.Zip(targets, (p, t) => (p - t).pow(2).sum()).Aggregate((a, b) => a + b);
}
