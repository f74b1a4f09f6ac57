using System;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// The trainer's cross-entropy (its own autograd function) against a float64 re-implementation written here and
/// against PyTorch's <c>cross_entropy</c>.
/// </summary>
public sealed class SummedCrossEntropyTests
{
    const long Ignore = TokenizedSequence.Ignore;
    static readonly long[] Targets = [3, Ignore, 0, 10, 7, Ignore, 1];

    [Fact]
    public void Loss_and_gradient_match_a_float64_reference_with_ignored_rows()
    {
        var values = RandomLogits(seed: 5);
        var logits = tensor(values.SelectMany(r => r).ToArray(), [values.Length, values[0].Length], dtype: ScalarType.Float64)
            .requires_grad_(true);
        var loss = SummedCrossEntropy.Compute(logits, tensor(Targets), Ignore);
        loss.mul(3.0).backward();   // the upstream gradient scales every row's gradient

        var (expectedLoss, expectedGradient) = Reference(values, Targets, upstream: 3.0);
        Assert.Equal(expectedLoss, loss.item<double>(), 12);
        var gradient = logits.grad!.data<double>().ToArray();
        for (var i = 0; i < gradient.Length; i++) Assert.Equal(expectedGradient[i], gradient[i], 12);
    }

    [Fact]
    public void Matches_torch_cross_entropy_in_float32()
    {
        var values = RandomLogits(seed: 9);
        var flat = values.SelectMany(r => r).Select(v => (float)v).ToArray();
        var ours = tensor(flat, [values.Length, values[0].Length]).requires_grad_(true);
        var theirs = tensor(flat, [values.Length, values[0].Length]).requires_grad_(true);

        var ourLoss = SummedCrossEntropy.Compute(ours, tensor(Targets), Ignore);
        var theirLoss = nn.functional.cross_entropy(theirs, tensor(Targets), ignore_index: Ignore, reduction: nn.Reduction.Sum);
        ourLoss.backward();
        theirLoss.backward();

        Assert.Equal(theirLoss.item<float>(), ourLoss.item<float>(), 4);
        Assert.True(ours.grad!.allclose(theirs.grad!, rtol: 1e-5, atol: 1e-6), "gradients differ from torch's cross_entropy");
    }

    [Fact]
    public void Without_gradients_it_returns_the_same_loss()
    {
        var values = RandomLogits(seed: 2);
        var logits = tensor(values.SelectMany(r => r).ToArray(), [values.Length, values[0].Length], dtype: ScalarType.Float64);
        using var noGrad = no_grad();
        var loss = SummedCrossEntropy.Compute(logits, tensor(Targets), Ignore);
        Assert.Equal(Reference(values, Targets, upstream: 1).Loss, loss.item<double>(), 12);
    }

    [Fact]
    public void An_ignored_row_with_non_finite_logits_leaves_loss_and_gradients_finite()
    {
        var values = RandomLogits(seed: 4);
        values[1][2] = double.NaN;            // row 1 is ignored
        values[5][0] = double.PositiveInfinity; // so is row 5
        var logits = tensor(values.SelectMany(r => r).ToArray(), [values.Length, values[0].Length], dtype: ScalarType.Float64)
            .requires_grad_(true);
        var loss = SummedCrossEntropy.Compute(logits, tensor(Targets), Ignore);
        loss.backward();

        Assert.True(double.IsFinite(loss.item<double>()));
        Assert.True(logits.grad!.isfinite().all().item<bool>(), "an ignored row's NaN reached the gradient");
        Assert.Equal(0.0, logits.grad![1].abs().sum().item<double>());
    }

    static double[][] RandomLogits(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Targets.Length)
            .Select(_ => Enumerable.Range(0, 11).Select(_ => random.NextDouble() * 8 - 4).ToArray())
            .ToArray();
    }

    // −log softmax(z)[y] summed over scored rows; its gradient is upstream · (softmax(z) − onehot(y)), 0 on ignored rows.
    static (double Loss, double[] Gradient) Reference(double[][] logits, long[] targets, double upstream)
    {
        var vocab = logits[0].Length;
        var loss = 0.0;
        var gradient = new double[logits.Length * vocab];
        for (var row = 0; row < logits.Length; row++)
        {
            if (targets[row] == Ignore) continue;
            var max = logits[row].Max();
            var sum = logits[row].Sum(z => Math.Exp(z - max));
            var logSumExp = max + Math.Log(sum);
            loss += logSumExp - logits[row][targets[row]];
            for (var v = 0; v < vocab; v++)
                gradient[row * vocab + v] = upstream * (Math.Exp(logits[row][v] - logSumExp) - (v == targets[row] ? 1 : 0));
        }
        return (loss, gradient);
    }
}
