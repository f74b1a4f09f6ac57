using ModelDsl.Generation;
using TorchSharp;
using Xunit;

namespace ModelDsl.Tests.Generation;

/// <summary>Generation and scoring free every tensor they create: nothing outlives the call.</summary>
public sealed class GenerationDisposalTests
{
    static long LiveTensors => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    [Theory]
    [InlineData("gpt2", true)]
    [InlineData("gpt2", false)]
    [InlineData("llama", true)]
    public void Generating_and_scoring_leave_no_live_tensors(string family, bool useCache)
    {
        var model = GenerationModels.New(family, seed: 91);
        using var _ = (System.IDisposable)model;
        var generator = new TextGenerator(model, GenerationModels.Tokenizer);
        var options = new GenerationOptions { MaxNewTokens = 5, Temperature = 0.8, TopK = 20, TopP = 0.9, Seed = 1, UseCache = useCache };
        generator.Generate(["warm", "up"], options);   // first-use allocations (tokenizer, kernels) happen here

        var before = LiveTensors;
        generator.Generate(["One prompt", "and a longer second prompt"], options);
        generator.Generate("Greedy", new GenerationOptions { MaxNewTokens = 4, UseCache = useCache });
        generator.ScoreContinuations("Pick:", [" a", " bb cc"]);
        Assert.Equal(before, LiveTensors);
    }
}
