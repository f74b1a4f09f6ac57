using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Layers.Quantization;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>
/// A QLoRA training step on a <see cref="BenchLoraSetup"/>: the four linear weights of every block are stored as NF4
/// (<see cref="Nf4Weight"/>) and computed through <see cref="FrozenLinear"/>, the setup's LoRA adapters on c_attn and
/// attn.c_proj train. The forward is GPT-2's (<see cref="Gpt2Block"/>) written out, because the runtime's blocks do not
/// yet hold quantized weights; everything else (embeddings, norms, biases, LoRA layers, the loss, AdamW) is the
/// runtime's own.
/// </summary>
internal sealed class QloraBenchStep : IDisposable
{
    sealed record QuantizedBlock(Gpt2Block Block, Nf4Weight Attention, Nf4Weight AttentionProjection, Nf4Weight Expansion, Nf4Weight Contraction);

    readonly BenchLoraSetup _setup;
    readonly QuantizedBlock[] _blocks;
    readonly Training.AdamW _optimizer;
    readonly Parameter[] _trainable;

    /// <summary>Quantizes the setup's block weights to NF4 and frees their float32 copies.</summary>
    public QloraBenchStep(BenchLoraSetup setup)
    {
        _setup = setup;
        _blocks = setup.Model.transformer.h.Select(block => new QuantizedBlock(block,
            Quantize(block.attn.c_attn), Quantize(block.attn.c_proj), Quantize(block.mlp.c_fc), Quantize(block.mlp.c_proj))).ToArray();
        _trainable = setup.TrainableParameters().ToArray();
        _optimizer = new Training.AdamW(_trainable.Select((p, i) => ($"p{i}", p, false)));
    }

    // Conv1D stores [in, out]; NF4 takes the [out, in] weight. The float32 weight is freed once it is quantized.
    static Nf4Weight Quantize(Conv1D layer)
    {
        Nf4Weight quantized;
        using (no_grad())
        using (var transposed = layer.weight.detach().t().contiguous())
            quantized = Nf4Weight.Quantize(transposed);
        layer.weight.Dispose();
        return quantized;
    }

    /// <summary>Forward, backward, gradient clipping and one AdamW step on <paramref name="ids"/> <c>[B, T]</c>; returns the loss.</summary>
    public double Step(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var model = _setup.Model;
        long batch = ids.shape[0], time = ids.shape[1];
        var positions = arange(time, dtype: ScalarType.Int64).unsqueeze(0).expand(batch, time);
        var x = model.transformer.wte.forward(ids) + model.transformer.wpe.forward(positions);      // (B, T, D)
        foreach (var q in _blocks) x = Block(q, x);
        var logits = model.lm_head.forward(model.transformer.ln_f.forward(x));                       // (B, T, V)
        var loss = CausalLmLoss.SumNll(logits, ids) / (batch * (time - 1));
        loss.backward();
        nn.utils.clip_grad_norm_(_trainable, 1.0);
        _optimizer.Apply(1e-4);
        _optimizer.ZeroGrad();
        return loss.item<float>();
    }

    // As Gpt2Block.Forward, and like it inside a dispose scope: what autograd does not keep is freed when the block ends.
    static Tensor Block(QuantizedBlock q, Tensor x)
    {
        using var scope = NewDisposeScope();
        var block = q.Block;
        var attended = Attention(q, block.ln_1.forward(x));                                            // (B, T, D)
        x = x + attended;
        var hidden = nn.functional.gelu(FrozenLinear.Forward(block.ln_2.forward(x), q.Expansion, block.mlp.c_fc.bias),
            GELU.Approximate.tanh);                                                                    // (B, T, 4D)
        return (x + FrozenLinear.Forward(hidden, q.Contraction, block.mlp.c_proj.bias)).MoveToOuterDisposeScope();   // (B, T, D)
    }

    static Tensor Attention(QuantizedBlock q, Tensor x)
    {
        using var scope = NewDisposeScope();
        var attn = q.Block.attn;
        long batch = x.shape[0], time = x.shape[1], dim = x.shape[2], heads = attn.Heads;
        var qkv = WithLora(attn.c_attn, x, FrozenLinear.Forward(x, q.Attention, attn.c_attn.bias)).split(dim, dim: -1);
        var (qs, ks, vs) = (Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]));                           // (B, H, T, hd) each
        var y = nn.functional.scaled_dot_product_attention(qs, ks, vs, is_casual: true);
        y = y.transpose(1, 2).contiguous().view(batch, time, dim);                                     // (B, T, D)
        return WithLora(attn.c_proj, y, FrozenLinear.Forward(y, q.AttentionProjection, attn.c_proj.bias)).MoveToOuterDisposeScope();

        Tensor Heads(Tensor t) => t.view(batch, time, heads, dim / heads).transpose(1, 2);
    }

    // The setup's own adapter on the host adds B(A(x))·scaling to the quantized base's output.
    static Tensor WithLora(LinearBase host, Tensor input, Tensor baseOutput) =>
        (LoraLayer.Find(host) ?? throw new InvalidOperationException("The bench setup puts LoRA on c_attn and attn.c_proj.")).Apply(input, baseOutput);

    /// <summary>Bytes of the NF4 weights.</summary>
    public long QuantizedBytes => _blocks.Sum(b => b.Attention.ByteSize + b.AttentionProjection.ByteSize + b.Expansion.ByteSize + b.Contraction.ByteSize);

    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var b in _blocks)
            foreach (var w in new[] { b.Attention, b.AttentionProjection, b.Expansion, b.Contraction }) w.Dispose();
    }
}
