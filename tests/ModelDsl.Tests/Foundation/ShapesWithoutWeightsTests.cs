using System.Linq;
using ApprovalTests;
using ModelDsl.Layers;
using TorchSharp;
using Xunit;

namespace ModelDsl.Tests.Foundation;

public class ShapesWithoutWeightsTests
{
    // GPT-2 small as Hugging Face counts it (GPT2LMHeadModel, lm_head tied to wte).
    const long Gpt2SmallParameters = 124_439_808;

    [Fact]
    public void GeneratedConstantEqualsGpt2SmallCount() =>
        Assert.Equal(Gpt2SmallParameters, Gpt2SmallShaped.ParameterCount);

    [Fact]
    public void MetaDeviceBuildCountsTheSameAndListsTheSameShapes()
    {
        using var model = new Gpt2SmallShaped(torch.META);

        Assert.Equal(Gpt2SmallParameters, model.CountParameters());
        Assert.All(model.parameters(), p => Assert.True(p.is_meta));
        Assert.Equal(
            Gpt2SmallShaped.ParameterShapes.Select(p => p.ToString()),
            model.ListParameterShapes().Select(p => p.ToString()));
    }

    [Fact]
    public void NameShapeListingSnapshot()
    {
        using var model = new Gpt2SmallShaped(torch.META);
        Approvals.Verify(string.Join("\n", model.ListParameterShapes()));
    }

    [Fact]
    public void TiedHeadSharesTheEmbeddingWeightAndIsRegisteredOnce()
    {
        using var model = new TinyDeclaredGpt();

        Assert.Same(model.Wte.weight, model.LmHead.weight);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("wte.weight", names);
        Assert.DoesNotContain("lm_head.weight", names);
        Assert.Equal(TinyDeclaredGpt.ParameterCount, model.CountParameters());
    }
}
