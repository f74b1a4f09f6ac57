using System;
using System.Linq;
using ModelDsl.Layers;
using TorchSharp;
using Xunit;
using static ModelDsl.Tests.Peft.PeftTestHelpers;
using static TorchSharp.torch;
using ModelDsl.Peft;

namespace ModelDsl.Tests.Peft;

public class LoraLayerTests
{
    static LinearBase Layer(bool inputMajor, long inFeatures = 12, long outFeatures = 10) =>
        inputMajor ? new Conv1D(inFeatures, outFeatures, initStd: 0.2) : new Linear(inFeatures, outFeatures);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FreshAdapterLeavesOutputBitIdentical(bool inputMajor)
    {
        manual_seed(1);
        using var layer = Layer(inputMajor);
        using var x = randn(3, 5, 12);
        using var before = layer.forward(x);
        layer.AddLora("default", new LoraSettings(4, 8));
        using var after = layer.forward(x);
        AssertBitIdentical(before, after);
        Assert.NotNull(layer.ActiveLora);
    }

    [Fact]
    public void AdapterKeysSitBesideTheBaseWeight()
    {
        using var layer = new Conv1D(6, 9);
        var adapter = layer.AddLora("default", new LoraSettings(2, 4));
        var keys = layer.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(["bias", "lora_A.weight", "lora_B.weight", "weight"], keys);
        Assert.Equal([2L, 6L], adapter.lora_A.weight.shape);   // [r, in]
        Assert.Equal([9L, 2L], adapter.lora_B.weight.shape);   // [out, r]
        Assert.True(adapter.lora_B.weight.eq(0).all().item<bool>());
        Assert.False(adapter.lora_A.weight.eq(0).all().item<bool>());
    }

    [Fact]
    public void LoraAIsKaimingUniformWithinPyTorchsBound()
    {
        manual_seed(2);
        using var layer = new Linear(400, 300);
        var adapter = layer.AddLora("default", new LoraSettings(64, 16));
        // Kaiming-uniform with a = √5 on fan_in = 400: bound = √(6 / ((1 + 5) · 400)) = 1/√400.
        double bound = 1.0 / Math.Sqrt(400);
        var weight = adapter.lora_A.weight;
        Assert.True(weight.abs().max().item<float>() <= bound);
        Assert.True(weight.abs().max().item<float>() > 0.9 * bound);
        Assert.InRange(weight.std().item<float>(), 0.9 * bound / Math.Sqrt(3), 1.1 * bound / Math.Sqrt(3));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MergeAddsScaledProductOrItsTranspose(bool inputMajor, bool rsLora)
    {
        manual_seed(3);
        using var layer = Layer(inputMajor);
        var settings = new LoraSettings(4, 6, useRsLora: rsLora);
        var adapter = layer.AddLora("default", settings);
        Randomise(adapter);
        using var x = randn(2, 7, 12);
        using var unmergedOutput = layer.forward(x);
        using var original = layer.weight.detach().clone();

        layer.MergeLora();

        // Hand computation: ΔW = s · B·A with s = α/r (α/√r for rsLoRA), [out, in]; transposed for [in, out] storage.
        double scaling = rsLora ? 6 / Math.Sqrt(4) : 6.0 / 4;
        using var product = adapter.lora_B.weight.detach().matmul(adapter.lora_A.weight.detach()) * scaling;
        using var expected = original + (inputMajor ? product.t() : product);
        AssertClose(expected, layer.weight, 1e-6);
        Assert.Equal(new LoraMergeRecord("default", scaling, inputMajor), layer.MergedLora);
        Assert.Equal(scaling, settings.Scaling);

        using var mergedOutput = layer.forward(x);
        AssertClose(unmergedOutput, mergedOutput, 1e-5);

        layer.UnmergeLora();
        AssertClose(original, layer.weight, 1e-6);
        Assert.Null(layer.MergedLora);
    }

    [Fact]
    public void BranchMatchesTheFormula()
    {
        manual_seed(4);
        using var layer = new Linear(12, 10);
        using var x = randn(3, 12);
        using var baseOutput = layer.forward(x);
        var adapter = layer.AddLora("default", new LoraSettings(3, 9));
        Randomise(adapter);
        using var output = layer.forward(x);
        // y = base(x) + (x Aᵀ Bᵀ) · α/r
        using var branch = x.matmul(adapter.lora_A.weight.t()).matmul(adapter.lora_B.weight.t()) * (9.0 / 3);
        AssertClose(baseOutput + branch, output, 1e-5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GradientsReachTheAdapterAndInputButNotTheFrozenBase(bool inputMajor)
    {
        manual_seed(6);
        using var layer = Layer(inputMajor);
        var adapter = layer.AddLora("default", new LoraSettings(3, 9));   // s = 3
        Randomise(adapter);
        layer.weight.requires_grad = false;
        layer.bias!.requires_grad = false;
        using var x = randn(2, 5, 12).requires_grad_();
        using var upstream = randn(2, 5, 10);
        using (var output = layer.forward(x))
        using (var loss = (output * upstream).sum())
            loss.backward();

        // By hand in float64, with G the upstream gradient [N, out] and W the base weight as [out, in]:
        // ∂x = G·W + s·(G·B)·A,  ∂B = s·Gᵀ·(x·Aᵀ),  ∂A = s·(G·B)ᵀ·x.
        using var scope = NewDisposeScope();
        var g = upstream.reshape(-1, 10).to_type(ScalarType.Float64);
        var input = x.detach().reshape(-1, 12).to_type(ScalarType.Float64);
        var w = layer.weight.detach().to_type(ScalarType.Float64);
        if (inputMajor) w = w.t();
        var a = adapter.lora_A.weight.detach().to_type(ScalarType.Float64);
        var b = adapter.lora_B.weight.detach().to_type(ScalarType.Float64);
        AssertClose((g.mm(w) + 3 * g.mm(b).mm(a)).view(2, 5, 12), x.grad!, 1e-5);
        AssertClose(3 * g.t().mm(input.mm(a.t())), adapter.lora_B.weight.grad!, 1e-5);
        AssertClose(3 * g.mm(b).t().mm(input), adapter.lora_A.weight.grad!, 1e-5);
        Assert.Null(layer.weight.grad);
        Assert.Null(layer.bias.grad);
    }

    [Fact]
    public void Float64LayerKeepsAScalingThatIsNoFloat()
    {
        // rsLoRA's α/√r = 5/√3 has no exact float32 value; a float64 layer must still apply it in full precision.
        manual_seed(7);
        using var layer = new Conv1D(12, 10, dtype: ScalarType.Float64, initStd: 0.2);
        var adapter = layer.AddLora("default", new LoraSettings(3, 5, useRsLora: true));
        Randomise(adapter);
        using var x = randn(4, 12, dtype: ScalarType.Float64);
        using var output = layer.forward(x);
        double scaling = 5 / Math.Sqrt(3);
        Assert.NotEqual(scaling, (double)(float)scaling);
        using var expected = x.mm(layer.weight.detach()) + layer.bias!.detach()
            + x.mm(adapter.lora_A.weight.detach().t()).mm(adapter.lora_B.weight.detach().t()) * scaling;
        AssertClose(expected, output, 1e-13);
    }

    [Fact]
    public void HalfPrecisionWeightsMergeInFloat32()
    {
        manual_seed(5);
        using var layer = new Linear(16, 16, dtype: ScalarType.BFloat16);
        var adapter = layer.AddLora("default", new LoraSettings(2, 2));
        using (no_grad()) adapter.lora_B.weight.fill_(1e-3);
        using var original = layer.weight.detach().to_type(ScalarType.Float32);
        layer.MergeLora();
        using var delta = adapter.lora_B.weight.detach().to_type(ScalarType.Float32).matmul(adapter.lora_A.weight.detach().to_type(ScalarType.Float32));
        using var expected = (original + delta).to_type(ScalarType.BFloat16);   // one rounding, after the fp32 sum
        AssertBitIdentical(expected, layer.weight.detach());
        Assert.Equal(ScalarType.BFloat16, layer.weight.dtype);
    }

    [Fact]
    public void MergeRefusesNonFiniteResultAndLeavesWeight()
    {
        using var layer = new Linear(8, 8);
        var adapter = layer.AddLora("default", new LoraSettings(2, 4));
        using (no_grad()) adapter.lora_B.weight[0, 0] = float.NaN;
        using var original = layer.weight.detach().clone();
        var error = Assert.Throws<InvalidOperationException>(layer.MergeLora);
        Assert.Contains("NaN or infinite", error.Message);
        Assert.Contains("'default'", error.Message);
        AssertBitIdentical(original, layer.weight.detach());
        Assert.Null(layer.MergedLora);
    }

    [Fact]
    public void DropoutActsOnlyOnTheBranchWhileTraining()
    {
        manual_seed(6);
        using var layer = new Linear(32, 32);
        var adapter = layer.AddLora("default", new LoraSettings(4, 4, dropout: 0.5));
        Randomise(adapter, 1.0);
        using var x = randn(4, 32);
        layer.eval();
        using var evalOutput = layer.forward(x);
        using var evalAgain = layer.forward(x);
        AssertBitIdentical(evalOutput, evalAgain);
        layer.train();
        using var trainOutput = layer.forward(x);
        Assert.False(trainOutput.allclose(evalOutput));
        // With every adapter disabled the base output is untouched by dropout, in training too.
        using (layer.DisableLora())
        using (var baseEval = layer.forward(x))
        {
            layer.eval();
            using var baseAgain = layer.forward(x);
            AssertBitIdentical(baseEval, baseAgain);
        }
    }

    [Fact]
    public void ZeroDropoutIsSkippedInTraining()
    {
        manual_seed(7);
        using var layer = new Linear(8, 8);
        Randomise(layer.AddLora("default", new LoraSettings(2, 4, dropout: 0)));
        using var x = randn(3, 8);
        layer.eval();
        using var evalOutput = layer.forward(x);
        layer.train();
        using var trainOutput = layer.forward(x);
        AssertBitIdentical(evalOutput, trainOutput);
    }

    [Fact]
    public void UseLoraSwapsWithoutTouchingTheBase()
    {
        manual_seed(8);
        using var layer = new Linear(8, 6);
        using var x = randn(2, 8);
        using var weight = layer.weight.detach().clone();
        Randomise(layer.AddLora("first", new LoraSettings(2, 4)));
        using var first = layer.forward(x);
        Randomise(layer.AddLora("second", new LoraSettings(3, 3)));
        Assert.Equal("first", layer.ActiveLora!.Name);
        layer.UseLora("second");
        using var second = layer.forward(x);
        Assert.False(first.allclose(second));
        Assert.Same(layer.LoraAdapters["second"].lora_A, layer.named_children().Single(c => c.name == "lora_A").module);
        layer.UseLora("first");
        using var firstAgain = layer.forward(x);
        AssertBitIdentical(first, firstAgain);
        AssertBitIdentical(weight, layer.weight.detach());
    }

    [Fact]
    public void SwitchingWhileMergedIsRefused()
    {
        using var layer = new Linear(8, 6);
        layer.AddLora("a", new LoraSettings(2, 4));
        layer.AddLora("b", new LoraSettings(2, 4));
        layer.MergeLora();
        var error = Assert.Throws<InvalidOperationException>(() => layer.UseLora("b"));
        Assert.Contains("UnmergeLora()", error.Message);
    }

    [Fact]
    public void DisableScopeGivesTheBaseAndRestoresAMerge()
    {
        manual_seed(9);
        using var layer = new Linear(8, 6);
        using var x = randn(2, 8);
        using var baseOutput = layer.forward(x);
        Randomise(layer.AddLora("default", new LoraSettings(2, 4)));
        using var adapted = layer.forward(x);
        layer.MergeLora();
        using (layer.DisableLora())
        {
            Assert.Null(layer.MergedLora);
            using var disabled = layer.forward(x);
            AssertClose(baseOutput, disabled, 1e-6);
        }
        Assert.NotNull(layer.MergedLora);
        using var after = layer.forward(x);
        AssertClose(adapted, after, 1e-5);
        layer.UnmergeLora();
        using (layer.DisableLora())
            Assert.Contains("DisableLora scope", Assert.Throws<InvalidOperationException>(layer.MergeLora).Message);
    }

    [Fact]
    public void RankLargerThanTheLayerIsRejectedWithTheLimit()
    {
        using var layer = new Linear(4, 6);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => layer.AddLora("default", new LoraSettings(5, 8)));
        Assert.Contains("≤ 4", error.Message);
    }

    [Theory]
    [InlineData(0, 8, 0.0, "rank")]
    [InlineData(4, 0, 0.0, "alpha")]
    [InlineData(4, 8, 1.0, "dropout")]
    public void InvalidSettingsNameTheParameter(int rank, double alpha, double dropout, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LoraSettings(rank, alpha, dropout));
        Assert.Equal(parameter, error.ParamName);
    }
}
