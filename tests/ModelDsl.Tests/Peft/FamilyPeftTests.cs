using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.IO;
using TorchSharp;
using Xunit;
using static ModelDsl.Tests.Peft.PeftTestHelpers;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

/// <summary>The PEFT setups over the runtime's GPT-2 and Llama models.</summary>
public class FamilyPeftTests
{
    static Tensor Ids() => TinyModels.Ids(TinyModels.Gpt2.Vocab, 2, 10, 7);

    [Fact]
    public void Gpt2SmallLoraOnCAttnHasPeftsPublishedCounts()
    {
        using var model = new Gpt2LMHeadModel(new Gpt2Config(12, 768, 12, 50257, 1024), device: META);
        using var setup = new Gpt2LoraSetup(model, new LoraSettings(8, 16));
        var shapes = Enumerable.Repeat((768L, 2304L), 12);
        Assert.Equal(294_912, PeftParameterCounts.Lora(shapes, 8));
        Assert.Equal(PeftParameterCounts.Lora(shapes, 8), setup.CountTrainableParameters());
        Assert.Equal(124_734_720, setup.CountAllParameters());
        Assert.Equal("trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364", setup.Summary());
    }

    [Fact]
    public void Gpt2SmallSoftPromptOf20TokensTrains15360()
    {
        Assert.Equal(15_360, PeftParameterCounts.SoftPrompt(20, 768));
        using var setup = new Gpt2PromptSetup(TinyModels.NewGpt2(70), 5);
        Assert.Equal(PeftParameterCounts.SoftPrompt(5, TinyModels.Gpt2.Dim), setup.CountTrainableParameters());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gpt2SoftPromptLogitsAndGradientAreThoseOfTheSlicedFullRun(bool leftPadded)
    {
        var model = TinyModels.NewGpt2(73);
        using var setup = new Gpt2PromptSetup(model, 5);
        using var ids = Ids();                                                         // (2, 10)
        using var mask = ones_like(ids);
        if (leftPadded) mask[1, ..3] = zeros(3, dtype: ScalarType.Int64);
        using var upstream = randn(2, 10, TinyModels.Gpt2.Vocab);
        using (var logits = setup.Forward(ids, leftPadded ? mask : null))
        {
            Assert.Equal([2L, 10L, TinyModels.Gpt2.Vocab], logits.shape);
            Assert.True(logits.is_contiguous());
            using var loss = (logits * upstream).sum();
            loss.backward();
        }
        using var gradient = setup.ActivePrompt!.weight.grad!.clone();

        // Independently: the base on [prompt ; tokens] with ones for the prompt in the mask, logits at every position,
        // the virtual ones sliced off.
        using var prompt = setup.ActivePrompt.weight.detach().clone().requires_grad_();
        using var joinedMask = cat([ones(2, 5, dtype: ScalarType.Int64), mask], 1);
        using (var embeddings = model.EmbedTokens(ids))
        using (var joined = cat([prompt.unsqueeze(0).expand(2, 5, TinyModels.Gpt2.Dim), embeddings], 1))
        using (var full = model.ForwardEmbeddings(joined, leftPadded ? joinedMask : null))
        using (var sliced = full[.., 5..])
        {
            using var logits = setup.Forward(ids, leftPadded ? mask : null);
            AssertClose(sliced, logits, 1e-6);
            using var loss = (sliced * upstream).sum();
            loss.backward();
        }
        AssertClose(prompt.grad!, gradient, 1e-5);
        Assert.True(gradient.abs().max().item<float>() > 0);
    }

    [Fact]
    public void Gpt2FreshLoraAndBottleneckLeaveLogitsBitIdentical()
    {
        using var ids = Ids();
        var model = TinyModels.NewGpt2(71);
        using var before = model.Forward(ids);
        using (var lora = new Gpt2LoraSetup(model, new LoraSettings(4, 8)))
        {
            lora.eval();
            AssertBitIdentical(before, lora.Forward(ids));
        }
        var other = TinyModels.NewGpt2(71);
        using var houlsby = new Gpt2HoulsbySetup(other, 4);
        houlsby.eval();
        AssertBitIdentical(before, houlsby.Forward(ids));
        Assert.Equal(PeftParameterCounts.Bottleneck(TinyModels.Gpt2.Dim, 4, 2 * TinyModels.Gpt2.Layers), houlsby.CountTrainableParameters());
        var registered = houlsby.parameters().Select(p => p.Handle).ToHashSet();
        Assert.All(houlsby.TrainableParameters(), p => Assert.Contains(p.Handle, registered));
        Assert.Contains("bottleneck_adapters.transformer_h_0_attention_adapter.down.weight", houlsby.state_dict().Keys);
    }

    [Fact]
    public void Gpt2LoraMergesTheConv1DLayoutAndRoundTrips()
    {
        using var ids = Ids();
        using var dir = new TempDirectory();
        using var setup = new Gpt2LoraSetup(TinyModels.NewGpt2(72), new LoraSettings(4, 8));
        setup.eval();
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        var baseWeights = Snapshot(setup.LoraTargets.Select(t => t.Layer.weight));
        using var unmerged = setup.Forward(ids);
        setup.Merge();
        using var merged = setup.Forward(ids);
        AssertClose(unmerged, merged, 1e-5);
        var adapter = setup.LoraTargets[0].Layer.ActiveLora!;
        using var expected = baseWeights[0] + (adapter.lora_B.weight.detach().matmul(adapter.lora_A.weight.detach()) * 2.0).t();   // [in, out]
        AssertClose(expected, setup.LoraTargets[0].Layer.weight, 1e-6);
        setup.Unmerge();
        for (int i = 0; i < baseWeights.Length; i++) AssertClose(baseWeights[i], setup.LoraTargets[i].Layer.weight, 1e-6);

        setup.SaveAdapter(dir.Path);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, PeftAdapterFiles.ConfigFileName)));
        Assert.True(json.RootElement.GetProperty("fan_in_fan_out").GetBoolean());
        using (var content = SafetensorsFile.Read(Path.Combine(dir.Path, PeftAdapterFiles.WeightsFileName)))
            Assert.Contains("base_model.model.transformer.h.1.attn.c_attn.lora_B.weight", content.Tensors.Keys);
        using var loaded = new Gpt2LoraSetup(TinyModels.NewGpt2(72), new LoraSettings(4, 8));
        loaded.LoadAdapter(dir.Path);
        loaded.eval();
        AssertBitIdentical(unmerged, loaded.Forward(ids));
    }

    [Fact]
    public void Gpt2SoftPromptMatchesTheBaseOnTheJoinedSequence()
    {
        using var ids = Ids();
        var model = TinyModels.NewGpt2(73);
        using var setup = new Gpt2PromptSetup(model, 3);
        using var mask = ones_like(ids);
        using var logits = setup.Forward(ids, mask);
        using var joined = cat([setup.ActivePrompt!.weight.detach().unsqueeze(0).expand(2, 3, TinyModels.Gpt2.Dim), model.EmbedTokens(ids)], 1);
        using var full = model.ForwardEmbeddings(joined, ones(2, 13, dtype: ScalarType.Int64));
        AssertClose(full[.., 3..], logits, 1e-6);
    }

    [Fact]
    public void LlamaLoraIsANoOpFreshAndMergesExactly()
    {
        using var ids = TinyModels.Ids(TinyModels.Llama.Vocab, 2, 10, 8);
        var model = TinyModels.NewLlama(74);
        using var before = model.Forward(ids);
        using var setup = new LlamaLoraSetup(model, new LoraSettings(4, 8));
        setup.eval();
        AssertBitIdentical(before, setup.Forward(ids));
        Assert.Equal(PeftParameterCounts.Lora(setup.LoraTargets.Select(t => (t.Layer.InFeatures, t.Layer.OutFeatures)), 4), setup.CountTrainableParameters());
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        using var unmerged = setup.Forward(ids);
        setup.Merge();
        AssertClose(unmerged, setup.Forward(ids), 1e-5);
    }
}
