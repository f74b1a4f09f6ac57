using System;
using System.IO;
using System.Linq;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Layers.Quantization;
using ModelDsl.Peft;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.IO;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static ModelDsl.Tests.Peft.PeftTestHelpers;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Quantization;

/// <summary>
/// QLoRA through generated setups: a <c>[Quantize]</c> setup must compute exactly what LoRA computes on a base whose
/// weights were replaced by their dequantized values, train only the adapters, merge onto the dequantized weights, and
/// share its adapter files with unquantized setups.
/// </summary>
/// <remarks>
/// Tolerances. On Llama both sides run the same <c>linear(x, W', b)</c> with bit-identical W' (the codes decoded in
/// float32), so the logits and gradients must be equal bit for bit. GPT-2's Conv1D computes <c>addmm(b, x, W)</c> with
/// W stored <c>[in, out]</c> while the quantized layer computes <c>linear(x, W'ᵀ)</c>: the same sums in another
/// order. A float32 dot product of n terms carries a relative error of at most γₙ = n·u/(1 − n·u), u = 2⁻²⁴; with
/// n ≤ 128 (the widest input) that is 7.6·10⁻⁶ of Σ|xᵢwᵢ|, which stays below 1 in these models, through two blocks
/// and the head: 1e-5 absolute bounds the logits, and is what merged vs unmerged is held to as well (the merged
/// weight rounds W' + ΔW once more).
/// </remarks>
public class QLoraTests(ITestOutputHelper output)
{
    const double ReorderedSumTolerance = 1e-5;

    static Tensor TokenIds(long seed = 3) => Ids(seed) % 97;   // the tiny families' vocabulary is 97

    static (GeneratedTinyLlama Quantized, GeneratedTinyLlama Plain) TwoLlamas(int seed)
    {
        manual_seed(seed);
        var quantized = new GeneratedTinyLlama();
        var plain = new GeneratedTinyLlama();
        plain.load_state_dict(quantized.state_dict());
        return (quantized, plain);
    }

    // The plain base gets, on every layer the setup quantized, the weight its codes decode to.
    static void UseDequantizedWeights(PeftSetup quantized, nn.Module plainBase)
    {
        var layers = plainBase.named_modules().ToDictionary(m => m.name, m => m.module);
        Assert.NotEmpty(quantized.QuantizedLayers);
        foreach (var entry in quantized.QuantizedLayers)
        {
            var target = (LinearBase)layers[entry.Path];
            using var rows = entry.Layer.Quantized!.Dequantize(ScalarType.Float32);                 // (out, in)
            using (no_grad()) target.weight.copy_(target.WeightIsInputMajor ? rows.t() : rows);
        }
    }

    // Both setups get the same non-zero adapters, as after training.
    static void SameRandomAdapters(PeftSetup a, PeftSetup b, int seed)
    {
        manual_seed(seed);
        Assert.Equal(a.LoraTargets.Select(t => t.Path), b.LoraTargets.Select(t => t.Path));
        foreach (var (left, right) in a.LoraTargets.Zip(b.LoraTargets))
        {
            Randomise(left.Layer.ActiveLora!, 0.2);
            using (no_grad())
            {
                right.Layer.ActiveLora!.lora_A.weight.copy_(left.Layer.ActiveLora!.lora_A.weight);
                right.Layer.ActiveLora!.lora_B.weight.copy_(left.Layer.ActiveLora!.lora_B.weight);
            }
        }
    }

    [Fact]
    public void ConstructionQuantizesTheLinearLayersOfTheBlocksOnly()
    {
        var (model, _) = TwoLlamas(1);
        using var setup = new TinyLlamaQLora(model);
        // 2 blocks × (q, k, v, o, gate, up, down); embeddings, norms and lm_head stay float.
        Assert.Equal(14, setup.QuantizedLayers.Count);
        Assert.All(setup.QuantizedLayers, q => Assert.StartsWith("model.layers.", q.Path));
        Assert.All(setup.QuantizedLayers, q => Assert.IsType<Nf4Weight>(q.Layer.Quantized));
        Assert.All(setup.QuantizedLayers, q => Assert.Equal(32, ((Nf4Weight)q.Layer.Quantized!).BlockSize));
        Assert.All(setup.QuantizedLayers, q => Assert.NotNull(((Nf4Weight)q.Layer.Quantized!).Nested));   // double quantization by default
        var names = setup.named_parameters().Select(p => p.name).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("model.layers.", StringComparison.Ordinal) && n.EndsWith("proj.weight", StringComparison.Ordinal));
        Assert.Contains("lm_head.weight", names);
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Equal(4, TinyLlamaQLora.Quantization.Bits);
    }

    [Fact]
    public void Nf4LlamaLogitsEqualLoraOnTheDequantizedBaseBitForBit()
    {
        var (quantizedBase, plainBase) = TwoLlamas(2);
        using var qlora = new TinyLlamaQLora(quantizedBase);
        using var lora = new TinyLlamaPlainLora(plainBase);
        UseDequantizedWeights(qlora, plainBase);
        SameRandomAdapters(qlora, lora, 20);
        using var ids = TokenIds();
        using var expected = lora.Forward(ids);
        using var actual = qlora.Forward(ids);
        AssertBitIdentical(expected, actual);
    }

    [Fact]
    public void Int8LlamaLogitsEqualLoraOnTheDequantizedBaseBitForBit()
    {
        var (quantizedBase, plainBase) = TwoLlamas(3);
        using var int8 = new TinyLlamaInt8Lora(quantizedBase);
        using var lora = new TinyLlamaPlainLora(plainBase);
        Assert.All(int8.QuantizedLayers, q => Assert.IsType<Int8Weight>(q.Layer.Quantized));
        UseDequantizedWeights(int8, plainBase);
        SameRandomAdapters(int8, lora, 21);
        using var ids = TokenIds();
        using var expected = lora.Forward(ids);
        using var actual = int8.Forward(ids);
        AssertBitIdentical(expected, actual);
    }

    [Fact]
    public void Nf4Gpt2LogitsEqualLoraOnTheDequantizedBaseWithinReorderedSums()
    {
        manual_seed(4);
        var quantizedBase = new GeneratedTinyGpt2();
        var plainBase = new GeneratedTinyGpt2();
        plainBase.load_state_dict(quantizedBase.state_dict());
        var originalBase = new GeneratedTinyGpt2();
        originalBase.load_state_dict(quantizedBase.state_dict());
        using var original = new TinyGpt2PlainLora(originalBase);
        using var qlora = new TinyGpt2QLora(quantizedBase);
        using var lora = new TinyGpt2PlainLora(plainBase);
        Assert.All(qlora.QuantizedLayers, q => Assert.Null(((Nf4Weight)q.Layer.Quantized!).Nested));   // DoubleQuantization = false
        UseDequantizedWeights(qlora, plainBase);
        SameRandomAdapters(qlora, lora, 22);
        SameRandomAdapters(qlora, original, 22);
        using var ids = TokenIds();
        using var expected = lora.Forward(ids);
        using var actual = qlora.Forward(ids);
        AssertClose(expected, actual, ReorderedSumTolerance);
        // The comparison can fail: against the original float weights the 4-bit rounding shows far above the tolerance.
        using var unquantized = original.Forward(ids);
        using var quantizationError = (unquantized - actual).abs().max();
        Assert.True(quantizationError.item<float>() > 100 * ReorderedSumTolerance, $"quantization error {quantizationError.item<float>()}");
    }

    [Fact]
    public void GradientsReachOnlyTheAdaptersAndEqualLorasOnTheDequantizedBase()
    {
        var (quantizedBase, plainBase) = TwoLlamas(5);
        using var qlora = new TinyLlamaQLora(quantizedBase);
        using var lora = new TinyLlamaPlainLora(plainBase);
        UseDequantizedWeights(qlora, plainBase);
        SameRandomAdapters(qlora, lora, 23);
        using var ids = TokenIds(4);
        foreach (var setup in new PeftSetup[] { qlora, lora })
        {
            using var logits = setup.Forward(ids);
            using var loss = nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, 97), ids[.., 1..].reshape(-1));
            loss.backward();
        }
        var trainable = qlora.TrainableParameters();
        Assert.Equal(2 * 6, trainable.Count);                                                   // 2 blocks × 3 targets × (A, B)
        var trainableHandles = trainable.Select(p => p.Handle).ToHashSet();
        foreach (var (name, parameter) in qlora.named_parameters())
        {
            if (trainableHandles.Contains(parameter.Handle)) continue;
            Assert.False(parameter.requires_grad, name);
            Assert.True(parameter.grad is null, $"{name} got a gradient");
        }
        foreach (var (left, right) in qlora.TrainableParameters().Zip(lora.TrainableParameters()))
        {
            Assert.NotNull(left.grad);
            Assert.True(left.grad!.abs().max().item<float>() > 0);
            AssertBitIdentical(right.grad!, left.grad!);
        }
    }

    [Fact]
    public void TrainingLowersTheLossAsLoraOnTheDequantizedBaseDoesAndLeavesTheCodesAlone()
    {
        var (quantizedBase, plainBase) = TwoLlamas(6);
        using var qlora = new TinyLlamaQLora(quantizedBase);
        using var lora = new TinyLlamaPlainLora(plainBase);
        UseDequantizedWeights(qlora, plainBase);
        SameRandomAdapters(qlora, lora, 24);
        var codes = qlora.QuantizedLayers.Select(q => ((Nf4Weight)q.Layer.Quantized!).Packed.clone()).ToList();
        var frozen = Snapshot(qlora.parameters().Where(p => !p.requires_grad));
        // Learn "count 0, 1, 2, 3, 0, …" from a random start.
        static Tensor Batch(long seed)
        {
            using var generator = new Generator((ulong)seed);
            using var start = randint(0, 97, [8, 1], dtype: ScalarType.Int64, generator: generator);          // (B, 1)
            return (start + arange(12, dtype: ScalarType.Int64).unsqueeze(0)).remainder(4);               // (B, T)
        }
        static float Loss(PeftSetup setup, Tensor ids, optim.Optimizer? optimizer = null)
        {
            using var scope = NewDisposeScope();
            var logits = setup.Forward(ids);
            var loss = nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, 97), ids[.., 1..].reshape(-1));
            if (optimizer is not null)
            {
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            return loss.item<float>();
        }
        using var held = Batch(999);
        float before;
        using (no_grad()) before = Loss(qlora, held);
        using var qloraOptimizer = optim.AdamW(qlora.TrainableParameters(), lr: 5e-2);
        using var loraOptimizer = optim.AdamW(lora.TrainableParameters(), lr: 5e-2);
        for (int step = 0; step < 15; step++)
        {
            using var ids = Batch(step);
            // The optimizer sees only the adapters, whose gradients equal LoRA's: the two runs stay equal bit for bit.
            Assert.Equal(Loss(lora, ids, loraOptimizer), Loss(qlora, ids, qloraOptimizer));
        }
        float after;
        using (no_grad()) after = Loss(qlora, held);
        output.WriteLine($"QLoRA, 15 steps: held-out loss {before:F3} → {after:F3}");
        Assert.True(after < before - 0.3, $"QLoRA: loss {before:F3} → {after:F3}, expected a drop of more than 0.3");
        foreach (var (layer, packed) in qlora.QuantizedLayers.Zip(codes))
            Assert.True(((Nf4Weight)layer.Layer.Quantized!).Packed.eq(packed).all().item<bool>(), $"{layer.Path}'s codes changed");
        foreach (var (parameter, snapshot) in qlora.parameters().Where(p => !p.requires_grad).Zip(frozen))
            AssertBitIdentical(snapshot, parameter);
    }

    [Fact]
    public void MergeFoldsTheAdapterOntoTheDequantizedWeightAndUnmergeRestoresTheCodes()
    {
        var (model, _) = TwoLlamas(7);
        using var setup = new TinyLlamaQLora(model);
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!, 0.2);
        var codes = setup.QuantizedLayers.ToDictionary(q => q.Path, q => q.Layer.Quantized!);
        using var ids = TokenIds(5);
        using var unmerged = setup.Forward(ids);

        setup.Merge();
        Assert.All(setup.LoraTargets, t => Assert.Null(t.Layer.Quantized));                      // a float weight stands in
        Assert.All(setup.QuantizedLayers.Where(q => setup.LoraTargets.All(t => t.Path != q.Path)), q => Assert.NotNull(q.Layer.Quantized));
        using (var merged = setup.Forward(ids)) AssertClose(unmerged, merged, ReorderedSumTolerance);

        setup.Unmerge();
        Assert.All(setup.QuantizedLayers, q => Assert.Same(codes[q.Path], q.Layer.Quantized));  // the very same codes
        using (var again = setup.Forward(ids)) AssertBitIdentical(unmerged, again);
    }

    [Fact]
    public void MergeAndUnloadReturnsAPlainFloatBase()
    {
        var (model, reference) = TwoLlamas(8);
        using var setup = new TinyLlamaQLora(model);
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!, 0.2);
        using var ids = TokenIds(6);
        using var unmerged = setup.Forward(ids);
        var plain = setup.MergeAndUnload();
        Assert.All(plain.modules().OfType<LinearBase>(), layer => Assert.Null(layer.Quantized));
        Assert.All(plain.modules().OfType<LinearBase>(), layer => Assert.Null(layer.Update));
        // Exactly the keys and shapes of an unquantized base of the same declaration: what a user saves.
        var expected = reference.state_dict().ToDictionary(e => e.Key, e => e.Value.shape);
        var actual = plain.state_dict().ToDictionary(e => e.Key, e => e.Value.shape);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, e => Assert.Equal(e.Value, actual[e.Key]));
        Assert.All(plain.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        using var logits = plain.Forward(ids);
        AssertClose(unmerged, logits, ReorderedSumTolerance);
    }

    [Fact]
    public void CountsAndSummaryAreLorasOnTheSameBase()
    {
        var (quantizedBase, plainBase) = TwoLlamas(9);
        using var qlora = new TinyLlamaQLora(quantizedBase);
        using var lora = new TinyLlamaPlainLora(plainBase);
        Assert.Equal(lora.CountTrainableParameters(), qlora.CountTrainableParameters());
        Assert.Equal(lora.CountAllParameters(), qlora.CountAllParameters());
        Assert.Equal(lora.Summary(), qlora.Summary());
        Assert.Equal(TinyLlamaQLora.TrainableParameterCount, qlora.CountTrainableParameters());
        Assert.Equal(TinyLlamaQLora.TotalParameterCount, qlora.CountAllParameters());
    }

    [Fact]
    public void AdapterFilesMoveBetweenQuantizedAndUnquantizedBases()
    {
        var (quantizedBase, plainBase) = TwoLlamas(10);
        using var qlora = new TinyLlamaQLora(quantizedBase);
        using var lora = new TinyLlamaPlainLora(plainBase);
        UseDequantizedWeights(qlora, plainBase);
        foreach (var target in qlora.LoraTargets) Randomise(target.Layer.ActiveLora!, 0.2);
        foreach (var target in lora.LoraTargets) Randomise(target.Layer.ActiveLora!, 0.3);
        using var fromQLora = new TempDirectory();
        using var fromLora = new TempDirectory();
        qlora.SaveAdapter(fromQLora.Path);
        lora.SaveAdapter(fromLora.Path);
        Assert.Equal(File.ReadAllText(Path.Combine(fromLora.Path, "adapter_config.json")),
            File.ReadAllText(Path.Combine(fromQLora.Path, "adapter_config.json")));

        using var ids = TokenIds(7);
        using var qloraLogits = qlora.Forward(ids);
        using var loraLogits = lora.Forward(ids);
        // QLoRA's adapter onto the unquantized base, and LoRA's onto the quantized one, under a second name each.
        lora.LoadAdapter(fromQLora.Path, "from_qlora");
        qlora.LoadAdapter(fromLora.Path, "from_lora");
        lora.UseAdapter("from_qlora");
        qlora.UseAdapter("from_lora");
        using var loraWithQLoraAdapter = lora.Forward(ids);
        using var qloraWithLoraAdapter = qlora.Forward(ids);
        AssertBitIdentical(qloraLogits, loraWithQLoraAdapter);     // the base is the dequantized one, bit for bit
        AssertBitIdentical(loraLogits, qloraWithLoraAdapter);
    }

    [Fact]
    public void BottleneckAdaptersSitOnAQuantizedBaseAndTrainAlone()
    {
        manual_seed(11);
        using var setup = new TinyGpt2QuantizedAdapters(new GeneratedTinyGpt2());
        Assert.Equal(8, setup.QuantizedLayers.Count);                                            // 2 blocks × (c_attn, c_proj, c_fc, mlp.c_proj)
        Assert.Equal(TinyGpt2QuantizedAdapters.TrainableParameterCount, setup.CountTrainableParameters());
        var trainable = setup.TrainableParameters().Select(p => p.Handle).ToHashSet();
        foreach (var slot in setup.BottleneckSlots) Randomise(slot.Adapters[PeftSetup.DefaultAdapterName]);
        using var ids = TokenIds(8);
        using (var logits = setup.Forward(ids))
        using (var loss = logits.square().mean())
            loss.backward();
        Assert.All(setup.parameters(), p => Assert.Equal(trainable.Contains(p.Handle), p.grad is not null));
    }

    [Fact]
    public void BitFitTrainsTheBiasesOfQuantizedLayersAsOnTheDequantizedBase()
    {
        manual_seed(12);
        var quantizedBase = new GeneratedTinyGpt2();
        var plainBase = new GeneratedTinyGpt2();
        plainBase.load_state_dict(quantizedBase.state_dict());
        using var quantized = new TinyGpt2QuantizedBitFit(quantizedBase);
        using var plain = new TinyGpt2PlainBitFit(plainBase);
        UseDequantizedWeights(quantized, plainBase);
        Assert.Equal(plain.SelectedParameters.Select(p => p.Path), quantized.SelectedParameters.Select(p => p.Path));
        Assert.Contains(quantized.SelectedParameters, p => p.Path == "transformer.h.0.attn.c_attn.bias");
        using var ids = TokenIds(9);
        foreach (var setup in new PeftSetup[] { quantized, plain })
        {
            using var logits = setup.Forward(ids);
            using var loss = logits.square().mean();
            loss.backward();
        }
        var trainable = quantized.TrainableParameters().Select(p => p.Handle).ToHashSet();
        Assert.All(quantized.parameters(), p => Assert.Equal(trainable.Contains(p.Handle), p.grad is not null));
        // The bias gradient of a quantized layer is Σ ∂L/∂y, as for the float layer; upstream sums are reordered (GPT-2).
        foreach (var (left, right) in quantized.TrainableParameters().Zip(plain.TrainableParameters()))
            AssertClose(right.grad!, left.grad!, ReorderedSumTolerance);
    }

    [Fact]
    public void ASoftPromptTrainsAloneOverAnEightBitBase()
    {
        manual_seed(13);
        using var setup = new TinyGpt2QuantizedPrompt(new GeneratedTinyGpt2());
        Assert.All(setup.QuantizedLayers, q => Assert.IsType<Int8Weight>(q.Layer.Quantized));
        using var ids = TokenIds(10);
        using (var logits = setup.Forward(ids))
        using (var loss = logits.square().mean())
            loss.backward();
        var prompt = Assert.Single(setup.TrainableParameters());
        Assert.Same(setup.ActivePrompt!.weight, prompt);
        Assert.All(setup.parameters(), p => Assert.Equal(p.Handle == prompt.Handle, p.grad is not null));
    }

    [Fact]
    public void TheTrainerOptimisesOnlyTheAdapters()
    {
        var (model, _) = TwoLlamas(14);
        using var setup = new TinyLlamaQLora(model);
        using var trainer = new ModelDsl.Training.Trainer(setup);
        Assert.Equal(12, trainer.TrainableParameterNames.Count);
        Assert.All(trainer.TrainableParameterNames, name => Assert.Matches(@"\.lora_[AB]\.weight$", name));
        Assert.Equal(TinyLlamaQLora.TrainableParameterCount, trainer.TrainableParameterCount);
    }

    [Fact]
    public void ADeclaredModelsRepeatedBlocksAreQuantizedAndItsLogitsEqualLorasOnTheDequantizedBase()
    {
        manual_seed(15);
        var quantizedBase = new ModelDsl.Tests.Foundation.TinyDeclaredGpt();
        var plainBase = new ModelDsl.Tests.Foundation.TinyDeclaredGpt();
        plainBase.load_state_dict(quantizedBase.state_dict());
        using var qlora = new CustomModelQLora(quantizedBase);
        using var lora = new ModelDsl.Tests.Peft.CustomModelLora(plainBase);
        // Each block's c_attn, c_proj, c_fc and mlp c_proj; the tied head and the embeddings stay float.
        Assert.Equal(8, qlora.QuantizedLayers.Count);
        Assert.Null(quantizedBase.LmHead.Quantized);
        UseDequantizedWeights(qlora, plainBase);
        SameRandomAdapters(qlora, lora, 25);
        using var ids = Ids(11) % ModelDsl.Tests.Foundation.TinyDeclaredGpt.Vocab;
        using var expected = lora.forward(ids);
        using var actual = qlora.forward(ids);
        AssertBitIdentical(expected, actual);
    }

    [Fact]
    public void HandWrittenSettingsAreCheckedWithTheAnalyzersBounds()
    {
        var bits = Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizationSettings(bits: 3));
        Assert.Contains("Bits = 3", bits.Message);
        var block = Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizationSettings(blockSize: 48));
        Assert.Contains("BlockSize = 48", block.Message);
        using var weight = randn(8, 96);
        var divides = Assert.Throws<ArgumentException>(() => new QuantizationSettings(blockSize: 64).Quantize(weight, "h.0.mlp.c_proj"));
        Assert.Contains("'h.0.mlp.c_proj'", divides.Message);
        Assert.Contains("96", divides.Message);
    }
}
