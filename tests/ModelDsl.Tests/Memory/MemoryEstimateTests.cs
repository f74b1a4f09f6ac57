using System;
using System.Linq;
using ModelDsl.Layers.Quantization;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Tests.Peft;
using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Memory;

/// <summary>
/// <see cref="MemoryEstimator"/> against sums written out here for small shapes, and the direction of each option's
/// effect. Models are built on the meta device where only shapes matter.
/// </summary>
public sealed class MemoryEstimateTests
{
    // GPT-2 with 2 blocks of width 8 (2 heads), 16 tokens of vocabulary and 8 positions.
    static readonly Gpt2Config Tiny = new(Layers: 2, Dim: 8, Heads: 2, Vocab: 16, Context: 8);

    // Published GPT-2 parameter count: wte V·D + wpe C·D + per block (ln_1 2D, c_attn 3D² + 3D, c_proj D² + D, ln_2 2D,
    // c_fc 4D² + 4D, mlp.c_proj 4D² + D) + ln_f 2D; the head is tied.
    static long Gpt2Parameters(Gpt2Config c) =>
        (long)c.Vocab * c.Dim + (long)c.Context * c.Dim + c.Layers * (12L * c.Dim * c.Dim + 13L * c.Dim) + 2L * c.Dim;

    [Fact]
    public void Full_fine_tuning_in_fp32_is_the_sum_of_what_each_module_keeps()
    {
        using var model = new Gpt2LMHeadModel(Tiny, device: META);
        const int batch = 2, sequence = 4;
        var estimate = model.EstimateMemory(batch, sequence);

        long p = Gpt2Parameters(Tiny);
        Assert.Equal(1952, p);
        Assert.Equal(4 * p, estimate.TrainableWeightBytes);
        Assert.Equal(0, estimate.FrozenWeightBytes);
        Assert.Equal(0, estimate.MasterWeightBytes);
        Assert.Equal(4 * p, estimate.GradientBytes);
        Assert.Equal(8 * p, estimate.OptimizerBytes);

        // What one block keeps per token, tensor by tensor (fp32, every weight trains): each entry is (width, bytes per value).
        long d = Tiny.Dim, h = Tiny.Heads, v = Tiny.Vocab;
        (long Width, long Bytes)[] block =
        [
            (d, 4), (2, 4),        // ln_1: its input, mean and rstd
            (d, 4),                // c_attn's input (ln_1's output), kept for c_attn.weight's gradient
            (3 * d, 4),            // q, k, v: views of c_attn's output, kept by attention
            (d, 4), (h, 4),        // attention's output and log-sum-exp per head
            (d, 4),                // c_proj's input (the heads made contiguous)
            (d, 4), (2, 4),        // ln_2: its input, mean and rstd
            (d, 4),                // c_fc's input
            (4 * d, 4),            // GELU's input
            (4 * d, 4),            // mlp.c_proj's input (GELU's output)
        ];
        long perBlock = block.Sum(t => t.Width * t.Bytes);
        long head = (d + 2) * 4 + d * 4;                 // ln_f input + stats, lm_head's input
        long loss = v * 4 + v * 4 + 2 * v * 4;           // logits, log-softmax, and in backward both their gradients
        long tokens = batch * sequence;
        Assert.Equal(tokens * (Tiny.Layers * perBlock + head + loss), estimate.ActivationBytes);
        Assert.Equal(tokens * loss, estimate.LogitsBytes);
        Assert.Equal(16 * p + estimate.ActivationBytes, estimate.TotalBytes);
    }

    [Fact]
    public void Lora_keeps_only_what_its_branches_and_the_frozen_path_need()
    {
        using var setup = new Gpt2LoraSetup(new Gpt2LMHeadModel(Tiny), new LoraSettings(2, 4));
        const int batch = 3, sequence = 5;
        var estimate = setup.EstimateMemory(batch, sequence);

        long lora = Tiny.Layers * 2L * (Tiny.Dim + 3L * Tiny.Dim);   // r·(in + out) on each c_attn
        long p = Gpt2Parameters(Tiny);
        Assert.Equal(4 * lora, estimate.TrainableWeightBytes);
        Assert.Equal(4 * p, estimate.FrozenWeightBytes);
        Assert.Equal(4 * lora, estimate.GradientBytes);
        Assert.Equal(8 * lora, estimate.OptimizerBytes);

        long d = Tiny.Dim, h = Tiny.Heads, v = Tiny.Vocab;
        // Frozen linears keep no input; lora_A keeps c_attn's input and lora_B its rank-2 output.
        long perBlock = (d + 2) * 4 + d * 4 + 2 * 4 + 3 * d * 4 + (d + h) * 4 + (d + 2) * 4 + 4 * d * 4;
        long head = (d + 2) * 4;                         // ln_f only: the tied head is frozen
        long loss = 4 * v * 4;
        Assert.Equal((long)batch * sequence * (Tiny.Layers * perBlock + head + loss), estimate.ActivationBytes);
    }

    [Fact]
    public void Gpt2_small_lora_counts_the_published_parameters()
    {
        using var setup = new Gpt2LoraSetup(new Gpt2LMHeadModel(new Gpt2Config(12, 768, 12, 50257, 1024), device: META), new LoraSettings(8, 16));
        var estimate = setup.EstimateMemory(1, 1024);
        Assert.Equal(4 * 294_912L, estimate.TrainableWeightBytes);
        Assert.Equal(4 * 124_439_808L, estimate.FrozenWeightBytes);
    }

    [Fact]
    public void Checkpointing_keeps_block_inputs_and_one_recomputed_block()
    {
        using var model = new Gpt2LMHeadModel(Tiny with { Layers = 6, Vocab = 4 }, device: META);
        var plain = model.EstimateMemory(2, 8);
        var checkpointed = model.EstimateMemory(2, 8, new TrainerOptions { GradientCheckpointing = true });
        Assert.True(checkpointed.ActivationBytes < plain.ActivationBytes / 2,
            $"checkpointed {checkpointed.ActivationBytes} vs plain {plain.ActivationBytes}");
        Assert.Equal(plain.WeightBytes + plain.GradientBytes + plain.OptimizerBytes,
            checkpointed.WeightBytes + checkpointed.GradientBytes + checkpointed.OptimizerBytes);
    }

    [Fact]
    public void Bf16_halves_the_frozen_weights_and_adds_fp32_masters()
    {
        using var setup = new Gpt2LoraSetup(new Gpt2LMHeadModel(Tiny, device: META), new LoraSettings(2, 4));
        var fp32 = setup.EstimateMemory(1, 8);
        var bf16 = setup.EstimateMemory(1, 8, new TrainerOptions { Precision = TrainingPrecision.BFloat16 });
        Assert.Equal(fp32.FrozenWeightBytes / 2, bf16.FrozenWeightBytes);
        Assert.Equal(fp32.TrainableWeightBytes, bf16.MasterWeightBytes);
        Assert.Equal(fp32.OptimizerBytes, bf16.OptimizerBytes);
        Assert.True(bf16.ActivationBytes < fp32.ActivationBytes);
    }

    [Fact]
    public void Nf4_base_costs_half_a_byte_per_value_plus_scales_as_the_stored_weights_do()
    {
        var config = new Gpt2Config(Layers: 1, Dim: 256, Heads: 4, Vocab: 32, Context: 16);
        using var setup = new Gpt2LoraSetup(new Gpt2LMHeadModel(config), new LoraSettings(4, 8));
        var plain = setup.EstimateMemory(1, 8);
        var nf4 = setup.EstimateMemory(1, 8, quantization: BaseQuantization.Nf4);
        var doubled = setup.EstimateMemory(1, 8, quantization: BaseQuantization.Nf4 with { DoubleQuantize = true });

        var block = setup.Model.transformer.h[0];
        var weights = new[] { block.attn.c_attn.weight, block.attn.c_proj.weight, block.mlp.c_fc.weight, block.mlp.c_proj.weight };
        long values = weights.Sum(w => w.numel());
        Assert.Equal(12L * 256 * 256, values);
        // The runtime's own NF4 storage of the same matrices, byte for byte.
        long stored = weights.Sum(w => { using var q = Nf4Weight.Quantize(w.detach().t().contiguous()); return q.ByteSize; });
        long storedDouble = weights.Sum(w => { using var q = Nf4Weight.Quantize(w.detach().t().contiguous(), doubleQuantize: true); return q.ByteSize; });
        Assert.Equal(plain.FrozenWeightBytes - 4 * values + stored, nf4.FrozenWeightBytes);
        Assert.Equal(plain.FrozenWeightBytes - 4 * values + storedDouble, doubled.FrozenWeightBytes);
        // ½ byte per value, a float32 absmax per 64 values, and 2,112 bytes of lookup tables per matrix.
        Assert.Equal(values / 2 + 4 * values / 64 + 4 * 2112, stored);
        Assert.InRange((double)stored / values, 0.5625, 0.6);
        Assert.True(storedDouble < stored);
    }

    [Fact]
    public void Int8_base_costs_a_byte_per_value_and_a_scale_per_row()
    {
        using var setup = new Gpt2LoraSetup(new Gpt2LMHeadModel(Tiny, device: META), new LoraSettings(2, 4));
        var plain = setup.EstimateMemory(1, 8);
        var int8 = setup.EstimateMemory(1, 8, quantization: BaseQuantization.Int8);
        long d = Tiny.Dim;
        long values = Tiny.Layers * 12 * d * d, rows = Tiny.Layers * (3 * d + d + 4 * d + d);   // [out, in] rows of the four linears
        Assert.Equal(plain.FrozenWeightBytes - 4 * values + values + 4 * rows, int8.FrozenWeightBytes);
    }

    [Fact]
    public void Llama_lora_counts_the_gated_mlp_and_rms_norms()
    {
        var config = new LlamaConfig(Layers: 1, Dim: 8, Heads: 2, KvHeads: 2, Ffn: 12, Vocab: 16, Context: 8);
        using var setup = new LlamaLoraSetup(new LlamaForCausalLM(config, device: META), new LoraSettings(2, 4));
        var estimate = setup.EstimateMemory(1, 4);
        long d = 8, ffn = 12, h = 2, v = 16, r = 2;
        // input_layernorm (fp32 input + rsqrt), q/v inputs kept once for LoRA, the two rank-2 lora_A outputs,
        // rotated q, k, v and attention's output + lse, post_attention_layernorm, gate, act(gate), up.
        long perBlock = (d + 1) * 4 + d * 4 + 2 * r * 4 + 4 * d * 4 + h * 4 + (d + 1) * 4 + 3 * ffn * 4;
        long head = (d + 1) * 4;
        long loss = 4 * v * 4;
        Assert.Equal(4 * (perBlock + head + loss), estimate.ActivationBytes);
    }

    [Fact]
    public void Methods_and_options_it_does_not_count_are_refused_by_name()
    {
        using var prompt = new Gpt2PromptSetup(new Gpt2LMHeadModel(Tiny, device: META), 2);
        var refused = Assert.Throws<NotSupportedException>(() => prompt.EstimateMemory(1, 4));
        Assert.Contains("prompt", refused.Message, StringComparison.OrdinalIgnoreCase);

        using var setup = new Gpt2LoraSetup(new Gpt2LMHeadModel(Tiny, device: META), new LoraSettings(2, 4));
        var bits = Assert.Throws<ArgumentException>(() => setup.EstimateMemory(1, 4, quantization: new BaseQuantization(3)));
        Assert.Contains("Bits = 3", bits.Message);
        var tooLong = Assert.Throws<ArgumentOutOfRangeException>(() => setup.EstimateMemory(1, 9));
        Assert.Contains("context", tooLong.Message);
    }

    [Fact]
    public void ToString_names_every_part()
    {
        using var setup = new Gpt2LoraSetup(new Gpt2LMHeadModel(Tiny, device: META), new LoraSettings(2, 4));
        var text = setup.EstimateMemory(2, 4, new TrainerOptions { GradientCheckpointing = true, Precision = TrainingPrecision.BFloat16 },
            BaseQuantization.Nf4).ToString();
        foreach (var part in new[] { "batch 2 × 4", "bf16", "checkpointing", "NF4 base", "weights", "gradients", "AdamW state", "activations", "MiB" })
            Assert.Contains(part, text);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void A_quantized_setup_is_estimated_as_its_unquantized_twin_with_the_base_quantization_it_declares(int bits)
    {
        manual_seed(3);
        using ModelDsl.Peft.PeftSetup quantized = bits == 4
            ? new ModelDsl.Tests.Quantization.TinyLlamaQLora(new ModelDsl.Tests.Families.GeneratedTinyLlama())
            : new ModelDsl.Tests.Quantization.TinyLlamaInt8Lora(new ModelDsl.Tests.Families.GeneratedTinyLlama());
        using var plain = new ModelDsl.Tests.Quantization.TinyLlamaPlainLora(new ModelDsl.Tests.Families.GeneratedTinyLlama());
        var declared = bits == 4 ? new BaseQuantization(4, 32, DoubleQuantize: true) : BaseQuantization.Int8;

        // The quantized layers have no float weight left to read; the estimate finds their codes and the [Quantize] settings.
        var estimate = quantized.EstimateMemory(2, 8);
        var twin = plain.EstimateMemory(2, 8, quantization: declared);
        Assert.Equal(twin, estimate);
        Assert.True(estimate.FrozenWeightBytes < plain.EstimateMemory(2, 8).FrozenWeightBytes);
    }
}
