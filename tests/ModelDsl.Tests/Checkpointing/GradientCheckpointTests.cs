using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Layers.Checkpointing;
using ModelDsl.Layers.Quantization;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Tests.Families;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Checkpointing;

public sealed class GradientCheckpointTests
{
    const double Tolerance = 1e-6;
    static readonly LoraSettings LoraWithDropout = new(rank: 4, alpha: 8, dropout: 0.3);

    /// <summary>The loss, its gradients (input first, then every parameter in order) and the next random draw after backward.</summary>
    sealed record Run(Tensor Output, Tensor? InputGrad, Tensor[] ParameterGrads, float NextDraw);

    static Run Train(nn.Module module, Tensor input, Func<Tensor, Tensor> forward, long seed)
    {
        module.zero_grad();
        input.grad = null;
        manual_seed(seed);
        using var scope = NewDisposeScope();
        var output = forward(input);
        (output * output).mean().backward();
        using var draw = rand(1);
        var parameterGrads = module.parameters()
            .Select(p => (p.grad is { } g ? g.clone() : zeros_like(p)).MoveToOuterDisposeScope()).ToArray();
        return new Run(output.detach().clone().MoveToOuterDisposeScope(), input.grad?.clone().MoveToOuterDisposeScope(),
            parameterGrads, draw.item<float>());
    }

    static void AssertSameGradients(Run plain, Run checkpointed)
    {
        Assert.True(TensorCompare.MaxAbsDifference(plain.Output, checkpointed.Output) <= Tolerance, "outputs differ");
        if (plain.InputGrad is null) Assert.Null(checkpointed.InputGrad);
        else Assert.True(TensorCompare.MaxAbsDifference(plain.InputGrad, checkpointed.InputGrad!) <= Tolerance, "input gradients differ");
        Assert.Equal(plain.ParameterGrads.Length, checkpointed.ParameterGrads.Length);
        for (var i = 0; i < plain.ParameterGrads.Length; i++)
        {
            var difference = TensorCompare.MaxAbsDifference(plain.ParameterGrads[i], checkpointed.ParameterGrads[i]);
            Assert.True(difference <= Tolerance, $"parameter {i}: gradients differ by {difference}");
        }
        Assert.True(plain.ParameterGrads.All(g => g.abs().max().item<float>() > 0), "a parameter got no gradient");
        // The recomputation replays the saved random state and puts the current one back.
        Assert.Equal(plain.NextDraw, checkpointed.NextDraw);
    }

    /// <summary>Adds a LoRA adapter with dropout whose B is not zero, so that A gets a gradient too.</summary>
    static void AddLora(LinearBase layer)
    {
        var adapter = layer.AddLora("default", LoraWithDropout);
        using (no_grad()) nn.init.normal_(adapter.lora_B.weight, 0, 0.1);
    }

    static List<Gpt2Block> Gpt2Blocks(int count)
    {
        manual_seed(31);
        var config = new Gpt2Config(Layers: count, Dim: 32, Heads: 4, Vocab: 50, Context: 16);
        var blocks = Enumerable.Range(0, count).Select(_ => new Gpt2Block(config)).ToList();
        foreach (var block in blocks)
        {
            foreach (var layer in new LinearBase[] { block.attn.c_attn, block.attn.c_proj, block.mlp.c_fc, block.mlp.c_proj })
                AddLora(layer);
            block.train();
        }
        return blocks;
    }

    [Fact]
    public void A_stack_of_GPT2_blocks_with_dropout_gets_the_same_gradients_with_checkpointing()
    {
        var blocks = Gpt2Blocks(2);
        using var stack = new ModuleList<Gpt2Block>([.. blocks]);
        using var x = (randn(2, 8, 32) * 0.5).requires_grad_(true);
        Tensor Plain(Tensor h) => blocks.Aggregate(h, (acc, block) => block.forward(acc, null));
        Tensor Checkpointed(Tensor h) => blocks.Aggregate(h, (acc, block) => GradientCheckpoint.Run(t => block.forward(t, null), acc));

        var plain = Train(stack, x, Plain, seed: 7);
        var checkpointed = Train(stack, x, Checkpointed, seed: 7);
        AssertSameGradients(plain, checkpointed);
        // Dropout really acted: another seed gives another output.
        var reseeded = Train(stack, x, Plain, seed: 8);
        Assert.True(TensorCompare.MaxAbsDifference(plain.Output, reseeded.Output) > 1e-4);
    }

    [Fact]
    public void A_llama_decoder_layer_gets_the_same_gradients_with_its_mask_and_rotary_tables_as_constants()
    {
        manual_seed(32);
        var config = new LlamaConfig(Layers: 1, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 48, Vocab: 50, Context: 16);
        using var model = new LlamaForCausalLM(config);
        var layer = model.model.layers[0];
        foreach (var linear in new LinearBase[] { layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj,
                     layer.self_attn.o_proj, layer.mlp.gate_proj, layer.mlp.up_proj, layer.mlp.down_proj })
            AddLora(linear);
        layer.train();
        using var padding = tensor(new long[,] { { 0, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1, 1 } });   // left padding in row 0
        using var x = (randn(2, 6, 32) * 0.5).requires_grad_(true);

        Tensor Forward(Tensor h, bool checkpoint)
        {
            // The tables die with this scope, before backward: the checkpoint must keep its own references.
            using var scope = NewDisposeScope();
            var (cos, sin) = new RotaryEmbedding(config.HeadWidth).Compute(PaddingMask.PositionIds(padding), h.dtype);
            var mask = PaddingMask.CausalAttentionMask(padding);
            var output = checkpoint
                ? GradientCheckpoint.Run((t, c) => layer.forward(t, new DecoderContext(c[0]!, c[1]!, c[2])), h, cos, sin, mask)
                : layer.forward(h, new DecoderContext(cos, sin, mask));
            return output.MoveToOuterDisposeScope();
        }

        var plain = Train(layer, x, h => Forward(h, checkpoint: false), seed: 9);
        var checkpointed = Train(layer, x, h => Forward(h, checkpoint: true), seed: 9);
        AssertSameGradients(plain, checkpointed);
    }

    [Fact]
    public void Parameters_behind_a_frozen_input_still_get_their_gradients()
    {
        var blocks = Gpt2Blocks(1);
        var block = blocks[0];
        foreach (var parameter in block.parameters()) parameter.requires_grad = false;
        foreach (var layer in new LinearBase[] { block.attn.c_attn, block.attn.c_proj, block.mlp.c_fc, block.mlp.c_proj })
            layer.ActiveLora!.SetTrainable(true);                                // LoRA: only the adapters train
        using var x = randn(2, 8, 32);                                           // a frozen embedding's output

        var plain = Train(block, x, h => block.forward(h, null), seed: 10);
        var checkpointed = Train(block, x, h => GradientCheckpoint.Run(t => block.forward(t, null), h), seed: 10);
        Assert.Null(checkpointed.InputGrad);
        var trainable = block.parameters().Select((p, i) => (p, i)).Where(t => t.p.requires_grad).Select(t => t.i).ToArray();
        Assert.Equal(8, trainable.Length);
        AssertSameGradients(plain with { ParameterGrads = [.. trainable.Select(i => plain.ParameterGrads[i])] },
            checkpointed with { ParameterGrads = [.. trainable.Select(i => checkpointed.ParameterGrads[i])] });
    }

    [Fact]
    public void A_QLoRA_style_block_over_a_frozen_quantized_weight_checkpoints_correctly()
    {
        manual_seed(33);
        using var frozen = Nf4Weight.Quantize(randn(24, 24) * 0.1, doubleQuantize: true);
        using var adapter = new Layers.Linear(24, 24);
        AddLora(adapter);
        adapter.train();
        using var x = randn(3, 24).requires_grad_(true);
        Tensor Block(Tensor h) => nn.functional.gelu(FrozenLinear.Forward(h, frozen) + adapter.forward(h));

        var plain = Train(adapter, x, Block, seed: 11);
        var checkpointed = Train(adapter, x, h => GradientCheckpoint.Run(Block, h), seed: 11);
        AssertSameGradients(plain, checkpointed);
    }

    [Fact]
    public void The_forward_keeps_nothing_of_the_block_and_the_backward_runs_it_once_more_with_gradients()
    {
        var blocks = Gpt2Blocks(1);
        var calls = new List<bool>();
        using var x = randn(2, 8, 32).requires_grad_(true);
        Tensor Block(Tensor h)
        {
            calls.Add(is_grad_enabled());
            return blocks[0].forward(h, null);
        }

        using var output = GradientCheckpoint.Run(Block, x);
        Assert.Equal([false], calls);                                            // no activation recorded
        Assert.True(output.requires_grad);
        output.sum().backward();
        Assert.Equal([false, true], calls);                                      // recomputed once, recording
        using (no_grad())
        {
            using var evaluated = GradientCheckpoint.Run(Block, x);
            Assert.False(evaluated.requires_grad);
        }
        Assert.Equal([false, true, false], calls);
    }

    [Fact]
    public void A_constant_that_requires_a_gradient_is_refused()
    {
        using var x = randn(2, 3).requires_grad_(true);
        using var scale = ones(3).requires_grad_(true);
        var error = Assert.Throws<ArgumentException>(() => GradientCheckpoint.Run((h, c) => h * c[0]!, x, scale));
        Assert.Contains("constant 0 requires a gradient", error.Message);
    }
}
