using System;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Peft;
using TorchSharp;
using Xunit;
using static ModelDsl.Tests.Peft.PeftTestHelpers;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

public class BottleneckAdapterTests
{
    [Fact]
    public void FreshAdapterIsIdentityAndFormulaHolds()
    {
        manual_seed(31);
        using var adapter = new BottleneckAdapter(8, 3, Activation.Relu);
        using var x = randn(2, 5, 8);
        using var fresh = adapter.forward(x);
        AssertBitIdentical(x, fresh);
        Randomise(adapter);
        using var y = adapter.forward(x);
        using var expected = x + nn.functional.linear(nn.functional.relu(nn.functional.linear(x, adapter.down.weight, adapter.down.bias)), adapter.up.weight, adapter.up.bias);
        AssertClose(expected, y, 1e-6);
    }

    [Theory]
    [InlineData(BottleneckPlacement.Houlsby, 2)]
    [InlineData(BottleneckPlacement.Pfeiffer, 1)]
    public void PlacementPutsAdaptersInTheRightSlots(BottleneckPlacement placement, int perBlock)
    {
        manual_seed(32);
        var model = new TinyLm();
        using var ids = Ids();
        using var before = model.Forward(ids);
        using var setup = new TinyBottleneckSetup(model, new BottleneckConfig(4, placement));
        using var after = setup.Forward(ids);
        AssertBitIdentical(before, after);
        Assert.Equal(2 * perBlock, setup.BottleneckSlots.Count);
        Assert.All(model.h, block => Assert.NotNull(block.MlpAdapter));
        Assert.All(model.h, block => Assert.Equal(placement == BottleneckPlacement.Houlsby, block.AttentionAdapter is not null));
        Assert.Equal(PeftParameterCounts.Bottleneck(TinyLm.Dim, 4, 2 * perBlock), setup.CountTrainableParameters());
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void DisableEmptiesSlotsAndRestoresThem()
    {
        manual_seed(33);
        var model = new TinyLm();
        using var ids = Ids();
        using var baseLogits = model.Forward(ids);
        using var setup = new TinyBottleneckSetup(model, new BottleneckConfig(4, BottleneckPlacement.Houlsby));
        foreach (var slot in setup.BottleneckSlots) Randomise(slot.Adapters["default"]);
        using var adapted = setup.Forward(ids);
        Assert.False(adapted.allclose(baseLogits));
        using (setup.DisableAdapters())
        {
            Assert.All(model.h, block => Assert.Null(block.AttentionAdapter));
            using var plain = setup.Forward(ids);
            AssertBitIdentical(baseLogits, plain);
        }
        using var again = setup.Forward(ids);
        AssertBitIdentical(adapted, again);
        Assert.Contains("LoRA only", Assert.Throws<InvalidOperationException>(setup.Merge).Message);
    }

    [Fact]
    public void TwoAdaptersSwap()
    {
        manual_seed(34);
        var model = new TinyLm();
        using var ids = Ids();
        using var setup = new TinyBottleneckSetup(model, new BottleneckConfig(4, BottleneckPlacement.Pfeiffer));
        foreach (var slot in setup.BottleneckSlots) Randomise(slot.Adapters["default"]);
        using var first = setup.Forward(ids);
        setup.AddAdapter("b");
        setup.UseAdapter("b");
        Assert.Same(setup.BottleneckSlots[0].Adapters["b"], model.h[0].MlpAdapter);
        using var fresh = setup.Forward(ids);
        using var baseLogits = model.Forward(ids);
        AssertBitIdentical(baseLogits, fresh);
        setup.UseAdapter("default");
        using var firstAgain = setup.Forward(ids);
        AssertBitIdentical(first, firstAgain);
    }
}
