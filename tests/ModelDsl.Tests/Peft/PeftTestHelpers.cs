using System.Linq;
using ModelDsl.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using ModelDsl.Peft;

namespace ModelDsl.Tests.Peft;

internal static class PeftTestHelpers
{
    /// <summary>A batch of token ids [2, 8] from a fixed seed.</summary>
    public static Tensor Ids(long seed = 1, long batch = 2, long time = 8)
    {
        using var generator = new Generator((ulong)seed);
        return randint(0, TinyLm.Vocab, [batch, time], dtype: ScalarType.Int64, generator: generator);
    }

    public static void AssertBitIdentical(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        if (!expected.eq(actual).all().item<bool>())
            Assert.Fail($"tensors differ; max |Δ| = {(expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max().item<double>()}");
    }

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(difference <= tolerance, $"max |Δ| = {difference} exceeds {tolerance}");
    }

    /// <summary>Gives every LoRA adapter of <paramref name="layer"/> a non-zero B, as training would.</summary>
    public static void Randomise(LoraAdapter adapter, double std = 0.1)
    {
        using (no_grad()) nn.init.normal_(adapter.lora_B.weight, 0, std);
    }

    public static void Randomise(BottleneckAdapter adapter, double std = 0.1)
    {
        using (no_grad())
        {
            nn.init.normal_(adapter.up.weight, 0, std);
            nn.init.normal_(adapter.up.bias!, 0, std);
        }
    }

    public static Tensor[] Snapshot(System.Collections.Generic.IEnumerable<TorchSharp.Modules.Parameter> parameters) =>
        parameters.Select(p => p.detach().clone()).ToArray();
}
