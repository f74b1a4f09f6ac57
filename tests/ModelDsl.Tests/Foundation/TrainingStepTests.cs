using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Foundation;

public class TrainingStepTests
{
    [Fact]
    public void ForwardBackwardAndAdamWChangeParametersAndLowerTheLoss()
    {
        manual_seed(1234);
        using var model = new TinyDeclaredGpt();
        // A periodic sequence: after a few steps the model must predict it better than at the start.
        using var sequence = arange(0, 4 * TinyDeclaredGpt.Context + 1, dtype: ScalarType.Int64).remainder(7);
        using var batch = sequence.unfold(0, TinyDeclaredGpt.Context + 1, TinyDeclaredGpt.Context).contiguous(); // (4, 17)
        using var inputs = batch[.., ..^1];
        using var targets = batch[.., 1..];

        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);

        var losses = new double[20];
        for (int step = 0; step < losses.Length; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.call(inputs);                                            // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.reshape(-1, TinyDeclaredGpt.Vocab), targets.reshape(-1));
            loss.backward();
            optimizer.step();
            losses[step] = loss.item<float>();
        }

        Assert.All(model.parameters().Zip(before), pair => Assert.False(pair.First.allclose(pair.Second, rtol: 0, atol: 0)));
        Assert.True(losses[^1] < 0.6 * losses[0], $"loss went from {losses[0]:F3} to {losses[^1]:F3}");
        foreach (var tensor in before) tensor.Dispose();
    }

    [Fact]
    public void EveryParameterReceivesAGradient()
    {
        manual_seed(7);
        using var model = new TinyDeclaredGpt();
        using var ids = randint(0, TinyDeclaredGpt.Vocab, [2, 8]);
        using var logits = model.call(ids);
        using var loss = logits.square().mean();
        loss.backward();

        var missing = model.named_parameters().Where(p => p.parameter.grad is null).Select(p => p.name).ToList();
        Assert.Empty(missing);
    }
}
