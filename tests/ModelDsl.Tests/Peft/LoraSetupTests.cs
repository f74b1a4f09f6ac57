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

public class LoraSetupTests
{
    [Fact]
    public void FreshSetupLeavesLogitsBitIdentical()
    {
        manual_seed(11);
        var model = new TinyLm();
        using var ids = Ids();
        using var before = model.Forward(ids);
        using var setup = new TinyLoraSetup(model, new LoraSettings(4, 8), includeConv1D: true);
        using var after = setup.Forward(ids);
        AssertBitIdentical(before, after);
    }

    [Fact]
    public void BaseIsFrozenAndOnlyCreatedParametersTrain()
    {
        manual_seed(12);
        var model = new TinyLm();
        var baseParameters = model.parameters().ToList();
        using var setup = new TinyLoraSetup(model, new LoraSettings(4, 8), includeConv1D: true);
        Assert.All(baseParameters, p => Assert.False(p.requires_grad));
        var trainable = setup.TrainableParameters();
        Assert.Equal(6, trainable.Count);                                        // 3 targets × (A, B)
        Assert.Equal(trainable.Count, trainable.Select(p => p.Handle).Distinct().Count());
        Assert.All(trainable, p => Assert.True(p.requires_grad));
        Assert.DoesNotContain(trainable, p => baseParameters.Any(b => b.Handle == p.Handle));
        var expected = PeftParameterCounts.Lora([(32, 96), (32, 96), (32, 32)], 4);
        Assert.Equal(expected, setup.CountTrainableParameters());
        Assert.Equal(model.CountParameters(), setup.CountAllParameters());         // the adapters are registered inside the model
    }

    [Fact]
    public void SetupStateDictKeysAreTheBasesPlusAdapterKeys()
    {
        var model = new TinyLm();
        var baseKeys = model.state_dict().Keys.ToHashSet();
        using var setup = new TinyLoraSetup(model, new LoraSettings(2, 4));
        var keys = setup.state_dict().Keys.ToHashSet();
        var added = keys.Except(baseKeys).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(["h.0.attn.c_attn.lora_A.weight", "h.0.attn.c_attn.lora_B.weight", "h.1.attn.c_attn.lora_A.weight", "h.1.attn.c_attn.lora_B.weight"], added);
        Assert.Subset(keys, baseKeys);
    }

    [Fact]
    public void NameMatchingIsNotUsedToDecideWhatTrains()
    {
        // A base parameter whose name looks like an adapter's stays frozen: trainability comes from structure.
        var model = new TinyLm();
        model.h[0].attn.c_attn.AddLora("lora_A_lookalike", new LoraSettings(2, 2));
        var lookalike = model.h[0].attn.c_attn.LoraAdapters["lora_A_lookalike"].lora_A.weight;
        using var setup = new TinyLoraSetup(model, new LoraSettings(2, 4));
        Assert.False(lookalike.requires_grad);
        Assert.DoesNotContain(setup.TrainableParameters(), p => p.Handle == lookalike.Handle);
    }

    [Fact]
    public void TrainingChangesOnlyAdapterParameters()
    {
        manual_seed(13);
        var model = new TinyLm();
        using var setup = new TinyLoraSetup(model, new LoraSettings(4, 8, dropout: 0.1), includeConv1D: true);
        var frozen = model.named_parameters().Where(np => !setup.TrainableParameters().Any(t => t.Handle == np.parameter.Handle)).ToList();
        var frozenBefore = Snapshot(frozen.Select(np => np.parameter));
        var adaptersBefore = Snapshot(setup.TrainableParameters());
        var trainable = setup.TrainableParameters();
        using var optimizer = optim.AdamW(trainable, lr: 1e-2);
        Assert.All(optimizer.parameters(), p => Assert.True(p.requires_grad));
        Assert.All(optimizer.parameters(), p => Assert.Contains(trainable, t => t.Handle == p.Handle));
        setup.train();
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var ids = Ids(step);
            var logits = setup.Forward(ids);                           // (B, T, V)
            var loss = nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, TinyLm.Vocab), ids[.., 1..].reshape(-1));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        for (int i = 0; i < frozen.Count; i++) AssertBitIdentical(frozenBefore[i], frozen[i].parameter.detach());
        var after = setup.TrainableParameters();
        Assert.All(Enumerable.Range(0, after.Count), i => Assert.False(after[i].detach().eq(adaptersBefore[i]).all().item<bool>(),
            $"adapter parameter {i} did not change"));
    }

    [Fact]
    public void MergedLogitsEqualUnmergedAndUnmergeRestoresBase()
    {
        manual_seed(14);
        var model = new TinyLm();
        using var setup = new TinyLoraSetup(model, new LoraSettings(4, 8), includeConv1D: true);
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        var baseWeights = Snapshot(setup.LoraTargets.Select(t => t.Layer.weight));
        using var ids = Ids();
        setup.eval();
        using var unmerged = setup.Forward(ids);
        setup.Merge();
        Assert.True(setup.IsMerged);
        using var merged = setup.Forward(ids);
        AssertClose(unmerged, merged, 1e-5);
        Assert.False(setup.LoraTargets[0].Layer.weight.allclose(baseWeights[0]), "merging should change the base weight");
        setup.Unmerge();
        for (int i = 0; i < baseWeights.Length; i++) AssertClose(baseWeights[i], setup.LoraTargets[i].Layer.weight, 1e-6);
    }

    [Fact]
    public void DisableAdaptersGivesBaseLogits()
    {
        manual_seed(15);
        var model = new TinyLm();
        using var ids = Ids();
        using var baseLogits = model.Forward(ids);
        using var setup = new TinyLoraSetup(model, new LoraSettings(4, 8));
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        using var adapted = setup.Forward(ids);
        Assert.False(adapted.allclose(baseLogits));
        using (setup.DisableAdapters())
        {
            using var disabled = setup.Forward(ids);
            AssertBitIdentical(baseLogits, disabled);
        }
        using var again = setup.Forward(ids);
        AssertBitIdentical(adapted, again);
    }

    [Fact]
    public void TwoAdaptersSwapAndEachReproducesItsOutputs()
    {
        manual_seed(16);
        var model = new TinyLm();
        using var ids = Ids();
        using var setup = new TinyLoraSetup(model, new LoraSettings(4, 8));
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        using var first = setup.Forward(ids);
        setup.AddAdapter("second", new LoraSettings(2, 2));
        Assert.Equal("default", setup.ActiveAdapter);
        using var stillFirst = setup.Forward(ids);
        AssertBitIdentical(first, stillFirst);
        setup.UseAdapter("second");
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!);
        using var second = setup.Forward(ids);
        Assert.False(second.allclose(first));
        Assert.All(setup.TrainableParameters(), p => Assert.Contains(setup.AdapterParameters("second"), q => q.Handle == p.Handle));
        Assert.All(setup.AdapterParameters("default"), p => Assert.False(p.requires_grad));
        setup.UseAdapter("default");
        using var firstAgain = setup.Forward(ids);
        AssertBitIdentical(first, firstAgain);
        setup.UseAdapter("second");
        using var secondAgain = setup.Forward(ids);
        AssertBitIdentical(second, secondAgain);
    }

    [Fact]
    public void UnknownAdapterAndMergedSwitchAreClearErrors()
    {
        using var setup = new TinyLoraSetup(new TinyLm(), new LoraSettings(2, 4));
        var unknown = Assert.Throws<InvalidOperationException>(() => setup.UseAdapter("nope"));
        Assert.Contains("'nope'", unknown.Message);
        Assert.Contains("default", unknown.Message);
        setup.AddAdapter("other");
        setup.Merge();
        var merged = Assert.Throws<InvalidOperationException>(() => setup.UseAdapter("other"));
        Assert.Contains("Unmerge()", merged.Message);
    }

    [Fact]
    public void SummaryIsPeftsLine()
    {
        using var setup = new TinyLoraSetup(new TinyLm(), new LoraSettings(4, 8));
        long trainable = 2 * 4 * (32 + 96);
        long all = setup.BaseModel.CountParameters();
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var expected = "trainable params: " + trainable.ToString("#,0", invariant) + " || all params: " + all.ToString("#,0", invariant)
            + " || trainable%: " + Math.Round(100.0 * trainable / all, 4).ToString("0.0000", invariant);
        Assert.Equal(expected, setup.Summary());
        Assert.Equal("trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364", PeftParameterCounts.FormatSummary(294_912, 124_734_720));
    }

    sealed class TiedHeadSetup(TinyLm model) : PeftSetup<TinyLm>(model, new LoraConfig(new LoraSettings(2, 4), ["lm_head", "c_head"]))
    {
        public void AttachHead() => AttachLora(Model.lm_head, "lm_head");
        public void AttachUntargeted() => AttachLora(Model.h[0].attn.c_attn, "h.0.attn.c_attn");
        public void AttachTwice() { AttachLora(Model.c_head, "c_head"); AttachLora(Model.c_head, "c_head"); }
    }

    [Fact]
    public void TiedOrRepeatedTargetsAndMethodlessCallsAreRefused()
    {
        using var setup = new TiedHeadSetup(new TinyLm());
        Assert.Contains("tied head", Assert.Throws<ArgumentException>(setup.AttachHead).Message);
        Assert.Contains("already attached to 'c_head'", Assert.Throws<InvalidOperationException>(setup.AttachTwice).Message);
        Assert.Contains("not matched by the LoRA targets [lm_head, c_head]", Assert.Throws<ArgumentException>(setup.AttachUntargeted).Message);
        using var bitfit = new TinyBitFitSetup(new TinyLm());
        Assert.Contains("no separate adapter", Assert.Throws<InvalidOperationException>(() => bitfit.AddAdapter("x")).Message);
        Assert.Contains("in place", Assert.Throws<InvalidOperationException>(() => bitfit.DisableAdapters()).Message);
    }
}
