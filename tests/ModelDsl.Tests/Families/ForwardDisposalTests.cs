using ModelDsl.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>A forward pass leaves no live tensor behind except the logits it returns.</summary>
public sealed class ForwardDisposalTests
{
    static long LiveTensors => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    static void CheckNoLeak(ICausalLanguageModel model, long vocab)
    {
        using var ids = TinyModels.Ids(vocab, 2, 6, seed: 1);
        using var mask = ones(2, 6, dtype: ScalarType.Int64);
        using (no_grad()) mask[0, 0] = 0;

        var before = LiveTensors;
        model.Forward(ids).Dispose();
        model.Forward(ids, mask).Dispose();
        using (var embeddings = model.EmbedTokens(ids)) model.ForwardEmbeddings(embeddings, mask).Dispose();
        Assert.Equal(before, LiveTensors);
    }

    [Fact]
    public void Gpt2_forward_frees_its_temporaries()
    {
        using var model = TinyModels.NewGpt2(seed: 1);
        CheckNoLeak(model, TinyModels.Gpt2.Vocab);
    }

    [Fact]
    public void Llama_forward_frees_its_temporaries()
    {
        using var model = TinyModels.NewLlama(seed: 1);
        CheckNoLeak(model, TinyModels.Llama.Vocab);
    }
}
