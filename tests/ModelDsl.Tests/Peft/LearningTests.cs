using System;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Peft;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

/// <summary>
/// Each method must learn a tiny generated task, "count 0, 1, 2, 3, 0, … from a random start" (4 of the 16 tokens),
/// within a fixed budget of AdamW steps on a frozen random base, lowering the held-out loss by a stated margin.
/// </summary>
public class LearningTests(ITestOutputHelper output)
{
    const int Steps = 25;
    const long Cycle = 4;   // a uniform guess costs ln 16 ≈ 2.77; the right 4 tokens alone bring it to ln 4 ≈ 1.39; the order to ~0

    static Tensor Batch(long seed, long batch = 8, long time = 12)
    {
        using var generator = new Generator((ulong)seed);
        using var start = randint(0, TinyLm.Vocab, [batch, 1], dtype: ScalarType.Int64, generator: generator);   // (B, 1)
        using var offsets = arange(time, dtype: ScalarType.Int64).unsqueeze(0);                                  // (1, T)
        return (start + offsets).remainder(Cycle);                                                                // (B, T)
    }

    static Tensor Loss(PeftSetup setup, Tensor ids)
    {
        using var scope = NewDisposeScope();
        var logits = setup.Forward(ids);                                                    // (B, T, V)
        return nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, TinyLm.Vocab), ids[.., 1..].reshape(-1))
            .MoveToOuterDisposeScope();
    }

    (double Before, double After) Train(PeftSetup setup, double learningRate)
    {
        using var held = Batch(999);
        double Evaluate()
        {
            setup.eval();
            using var _ = no_grad();
            using var loss = Loss(setup, held);
            return loss.item<float>();
        }
        var before = Evaluate();
        using var optimizer = optim.AdamW(setup.TrainableParameters(), lr: learningRate);
        for (int step = 0; step < Steps; step++)
        {
            setup.train();
            using var ids = Batch(step);
            using var loss = Loss(setup, ids);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        var after = Evaluate();
        output.WriteLine($"{setup.Config.MethodName()}: {before:F3} → {after:F3}");
        return (before, after);
    }

    static TinyLm Base()
    {
        manual_seed(60);
        return new TinyLm();
    }

    [Fact]
    public void LoraLearns()
    {
        using var setup = new TinyLoraSetup(Base(), new LoraSettings(4, 8), includeConv1D: true);
        var (before, after) = Train(setup, 1e-2);
        Assert.True(after < before - 2.0, $"LoRA: loss {before:F3} → {after:F3}, expected a drop of more than 2.0");
    }

    [Fact]
    public void SoftPromptLearns()
    {
        using var setup = new TinyPromptSetup(Base(), new PromptTuningConfig(8, PromptTuningInit.SampleVocab));
        var (before, after) = Train(setup, 1e-1);
        Assert.True(after < before - 0.5, $"Soft prompt: loss {before:F3} → {after:F3}, expected a drop of more than 0.5");
    }

    [Fact]
    public void BottleneckAdaptersLearn()
    {
        using var setup = new TinyBottleneckSetup(Base(), new BottleneckConfig(8, BottleneckPlacement.Houlsby));
        var (before, after) = Train(setup, 1e-2);
        Assert.True(after < before - 1.5, $"Bottleneck: loss {before:F3} → {after:F3}, expected a drop of more than 1.5");
    }

    [Fact]
    public void BitFitLearns()
    {
        using var setup = new TinyBitFitSetup(Base());
        var (before, after) = Train(setup, 1e-1);
        Assert.True(after < before - 1.0, $"BitFit: loss {before:F3} → {after:F3}, expected a drop of more than 1.0");
    }

    [Fact]
    public void FullFineTuneTrainsEverything()
    {
        var model = Base();
        using var setup = new TinyFullSetup(model);
        Assert.Equal(model.CountParameters(), setup.CountTrainableParameters());
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
        var (before, after) = Train(setup, 1e-2);
        Assert.True(after < before - 2.0, $"Full: loss {before:F3} → {after:F3}, expected a drop of more than 2.0");
        Assert.Throws<InvalidOperationException>(() => setup.DisableAdapters());
    }
}
