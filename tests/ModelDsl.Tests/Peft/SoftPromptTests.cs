using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Peft;
using TorchSharp;
using Xunit;
using static ModelDsl.Tests.Peft.PeftTestHelpers;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

public class SoftPromptTests
{
    [Theory]
    [InlineData(7, new long[] { 3, 1, 4 })]          // shorter: repeated ⌈7/3⌉ = 3 times, truncated
    [InlineData(2, new long[] { 3, 1, 4, 1, 5 })]    // longer: truncated
    [InlineData(3, new long[] { 9, 2, 6 })]          // exact
    public void TextInitRepeatsOrTruncatesAsPeft(long tokens, long[] textIds)
    {
        var expected = new List<long>();
        for (int i = 0; expected.Count < tokens; i++) expected.Add(textIds[i % textIds.Length]);
        Assert.Equal(expected, SoftPrompt.TextInitIds(tokens, textIds));
    }

    [Fact]
    public void TextInitCopiesTheVocabularyRows()
    {
        manual_seed(21);
        using var vocabulary = randn(10, 4);
        using var prompt = SoftPrompt.FromText(5, [7, 2], vocabulary);
        Assert.Equal([5L, 4L], prompt.weight.shape);
        long[] ids = [7, 2, 7, 2, 7];
        for (int i = 0; i < 5; i++) AssertBitIdentical(vocabulary[ids[i]], prompt.weight[i].detach());
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftPrompt.FromText(5, [10], vocabulary));
    }

    [Fact]
    public void SampleVocabRowsComeFromTheVocabulary()
    {
        manual_seed(22);
        using var vocabulary = randn(50, 6);
        using var prompt = SoftPrompt.SampleVocabulary(8, vocabulary);
        for (int i = 0; i < 8; i++)
        {
            using var row = prompt.weight[i].detach();
            Assert.True(vocabulary.eq(row).all(1).any().item<bool>(), $"row {i} is not a vocabulary row");
        }
    }

    [Fact]
    public void RandomInitIsStandardNormalInFloat32()
    {
        manual_seed(23);
        using var prompt = SoftPrompt.Random(200, 50);
        Assert.Equal(ScalarType.Float32, prompt.weight.dtype);
        Assert.InRange(prompt.weight.std().item<float>(), 0.95, 1.05);
        Assert.InRange(prompt.weight.mean().item<float>(), -0.05, 0.05);
    }

    [Fact]
    public void MaskAndLabelsGetPrefixes()
    {
        using var prompt = SoftPrompt.Random(3, 4);
        using var mask = tensor(new long[,] { { 0, 1 }, { 1, 1 } });
        using var labels = tensor(new long[,] { { 5, 6 }, { 7, 8 } });
        using var embeddings = randn(2, 2, 4);
        Assert.Equal(new long[] { 1, 1, 1, 0, 1, 1, 1, 1, 1, 1 }, prompt.ExtendAttentionMask(mask).data<long>().ToArray());
        Assert.Equal(new long[] { -100, -100, -100, 5, 6, -100, -100, -100, 7, 8 }, prompt.ExtendLabels(labels).data<long>().ToArray());
        using var joined = prompt.Prepend(embeddings);
        Assert.Equal([2L, 5L, 4L], joined.shape);
        AssertBitIdentical(prompt.weight.detach(), joined[1, ..3]);
        AssertBitIdentical(embeddings, joined[.., 3..]);
    }

    [Fact]
    public void SetupPrependsAndDropsVirtualPositions()
    {
        manual_seed(24);
        var model = new TinyLm();
        using var setup = new TinyPromptSetup(model, new PromptTuningConfig(4));
        using var ids = Ids();
        using var mask = ones_like(ids);
        using var logits = setup.Forward(ids, mask);
        Assert.Equal([2L, 8L, TinyLm.Vocab], logits.shape);

        // Independently: the base on [prompt ; tokens] with an all-ones mask, virtual positions sliced off.
        using var embeddings = model.EmbedTokens(ids);
        using var joined = cat([setup.ActivePrompt!.weight.detach().unsqueeze(0).expand(2, 4, TinyLm.Dim), embeddings], 1);
        using var full = model.ForwardEmbeddings(joined, ones(2, 12, dtype: ScalarType.Int64));
        AssertBitIdentical(full[.., 4..], logits);
        Assert.Equal(TinyLm.Context - 4, setup.ContextLength);
        Assert.Equal(["prompt_embeddings"], setup.state_dict().Keys.Except(model.state_dict().Keys).ToArray());

        using (setup.DisableAdapters())
        {
            using var plain = setup.Forward(ids, mask);
            using var baseLogits = model.Forward(ids, mask);
            AssertBitIdentical(baseLogits, plain);
        }
    }

    [Fact]
    public void OnlyThePromptTrains()
    {
        var model = new TinyLm();
        using var setup = new TinyPromptSetup(model, new PromptTuningConfig(20, PromptTuningInit.SampleVocab));
        var trainable = setup.TrainableParameters();
        Assert.Single(trainable);
        Assert.Equal(PeftParameterCounts.SoftPrompt(20, TinyLm.Dim), setup.CountTrainableParameters());
        Assert.Equal(model.CountParameters() + 20 * TinyLm.Dim, setup.CountAllParameters());
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
        Assert.Equal(15_360, PeftParameterCounts.SoftPrompt(20, 768));
    }

    [Fact]
    public void TextInitNeedsTokenIdsAndMergeIsRefused()
    {
        var model = new TinyLm();
        var error = Assert.Throws<InvalidOperationException>(() => new TinyPromptSetup(model, new PromptTuningConfig(4, PromptTuningInit.Text, "Answer.")));
        Assert.Contains("InitTextTokenIds", error.Message);
        using var setup = new TinyPromptSetup(model, new PromptTuningConfig(4, PromptTuningInit.Text, "Answer.") { InitTextTokenIds = [3, 5] });
        AssertBitIdentical(model.wte.weight.detach()[3], setup.ActivePrompt!.weight.detach()[2]);
        Assert.Contains("LoRA only", Assert.Throws<InvalidOperationException>(setup.Merge).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TinyPromptSetup(new TinyLm(), new PromptTuningConfig((int)TinyLm.Context)));
    }

    [Fact]
    public void TwoPromptsSwap()
    {
        manual_seed(25);
        using var setup = new TinyPromptSetup(new TinyLm(), new PromptTuningConfig(3));
        using var ids = Ids();
        using var first = setup.Forward(ids);
        setup.AddAdapter("other");
        setup.UseAdapter("other");
        Assert.Same(setup.Prompts["other"].weight, setup.named_parameters(recurse: false).Single(np => np.name == "prompt_embeddings").parameter);
        using var other = setup.Forward(ids);
        Assert.False(other.allclose(first));
        setup.UseAdapter("default");
        using var firstAgain = setup.Forward(ids);
        AssertBitIdentical(first, firstAgain);
    }
}
