using System;
using ModelDsl.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>Fresh models are initialised as Hugging Face's: N(0, 0.02), residual projections scaled by 1/√(2·layers), zero biases, unit norms.</summary>
public sealed class InitializationTests
{
    static void AssertStd(Tensor weight, double expected, string name)
    {
        var std = weight.std().item<float>();
        Assert.True(Math.Abs(std - expected) < 0.03 * expected, $"{name}: std {std}, expected {expected}");
        Assert.True(Math.Abs(weight.mean().item<float>()) < 0.1 * expected, $"{name}: mean is not 0");
    }

    [Fact]
    public void Gpt2_follows_the_reference_initialisation()
    {
        var config = new Gpt2Config(Layers: 8, Dim: 128, Heads: 4, Vocab: 1000, Context: 64);
        using var model = TinyModels.NewGpt2(seed: 3, config);
        var block = model.transformer.h[0];
        AssertStd(model.transformer.wte.weight, 0.02, "wte");
        AssertStd(model.transformer.wpe.weight, 0.02, "wpe");
        AssertStd(block.attn.c_attn.weight, 0.02, "c_attn");
        AssertStd(block.mlp.c_fc.weight, 0.02, "c_fc");
        AssertStd(block.attn.c_proj.weight, 0.02 / Math.Sqrt(16), "attn.c_proj");
        AssertStd(block.mlp.c_proj.weight, 0.02 / Math.Sqrt(16), "mlp.c_proj");
        Assert.Equal(0, block.attn.c_attn.bias!.abs().sum().item<float>());
        Assert.Equal(0, block.mlp.c_proj.bias!.abs().sum().item<float>());
        Assert.True(block.ln_1.weight.eq(1).all().item<bool>());
        Assert.Equal(0, block.ln_1.bias.abs().sum().item<float>());
        Assert.Equal(model.transformer.wte.weight.Handle, model.lm_head.weight.Handle);
    }

    [Fact]
    public void Llama_follows_the_reference_initialisation()
    {
        var config = new LlamaConfig(Layers: 2, Dim: 128, Heads: 4, KvHeads: 2, Ffn: 256, Vocab: 1000, Context: 64);
        using var model = TinyModels.NewLlama(seed: 3, config);
        var layer = model.model.layers[1];
        AssertStd(model.model.embed_tokens.weight, 0.02, "embed_tokens");
        AssertStd(layer.self_attn.q_proj.weight, 0.02, "q_proj");
        AssertStd(layer.self_attn.o_proj.weight, 0.02, "o_proj");
        AssertStd(layer.mlp.down_proj.weight, 0.02, "down_proj");
        AssertStd(model.lm_head.weight, 0.02, "lm_head");
        Assert.Null(layer.self_attn.q_proj.bias);
        Assert.True(layer.input_layernorm.weight.eq(1).all().item<bool>());
        Assert.NotEqual(model.model.embed_tokens.weight.Handle, model.lm_head.weight.Handle);
    }
}
