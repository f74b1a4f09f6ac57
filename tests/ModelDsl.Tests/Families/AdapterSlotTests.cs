using System.Linq;
using ModelDsl.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>The per-block adapter slots transform each sub-layer's output before the residual add and stay unregistered.</summary>
public sealed class AdapterSlotTests
{
    /// <summary>Silences a sub-layer: with both slots set in every block, only the embeddings reach the final norm.</summary>
    sealed class Silence : nn.Module<Tensor, Tensor>
    {
        public int Calls;
        public Silence() : base(nameof(Silence)) { }
        public override Tensor forward(Tensor input)
        {
            Calls++;
            return zeros_like(input);
        }
    }

    [Fact]
    public void Gpt2_adapters_replace_the_sub_layer_outputs()
    {
        using var model = TinyModels.NewGpt2(seed: 31);
        var keys = model.state_dict().Keys.ToList();
        var silence = new Silence();
        foreach (var block in model.transformer.h)
        {
            block.AttentionAdapter = silence;
            block.MlpAdapter = silence;
        }
        using var ids = TinyModels.Ids(TinyModels.Gpt2.Vocab, 1, 5, seed: 2);

        using var logits = model.Forward(ids);

        // x = wte[ids] + wpe[0..T), then ln_f and the tied head: no block contributes.
        using var scope = NewDisposeScope();
        var t = model.transformer;
        var x = t.wte.weight[ids] + t.wpe.weight[arange(5)];
        var expected = nn.functional.layer_norm(x, [TinyModels.Gpt2.Dim], t.ln_f.weight, t.ln_f.bias, TinyModels.Gpt2.NormEps)
            .matmul(t.wte.weight.t());
        Assert.True((logits - expected).abs().max().item<float>() < 1e-5);
        Assert.Equal(2 * TinyModels.Gpt2.Layers, silence.Calls);
        Assert.Equal(keys, model.state_dict().Keys.ToList());
    }

    [Fact]
    public void Llama_adapters_replace_the_sub_layer_outputs()
    {
        using var model = TinyModels.NewLlama(seed: 32);
        var keys = model.state_dict().Keys.ToList();
        var silence = new Silence();
        foreach (var layer in model.model.layers)
        {
            layer.AttentionAdapter = silence;
            layer.MlpAdapter = silence;
        }
        using var ids = TinyModels.Ids(TinyModels.Llama.Vocab, 1, 5, seed: 2);

        using var logits = model.Forward(ids);

        using var scope = NewDisposeScope();
        var expected = model.lm_head.forward(model.model.norm.forward(model.model.embed_tokens.weight[ids]));
        Assert.True((logits - expected).abs().max().item<float>() < 1e-5);
        Assert.Equal(2 * TinyModels.Llama.Layers, silence.Calls);
        Assert.Equal(keys, model.state_dict().Keys.ToList());
    }
}
