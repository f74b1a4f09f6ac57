using System;
using ModelDsl.Layers;
using ModelDsl.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

/// <summary>
/// A 2-block GPT-style causal LM built from the runtime's layers, for PEFT tests: learned positions, pre-norm
/// blocks with bottleneck-adapter slots, a Conv1D projection before a tied head (so LoRA meets both weight layouts).
/// </summary>
internal sealed class TinyLm : DslModule<Tensor, Tensor>, ICausalLanguageModel
{
    public const long Vocab = 16, Dim = 32, Heads = 2, Context = 32;

    public TinyLm(int layers = 2) : base(nameof(TinyLm))
    {
        wte = new Embedding(Vocab, Dim);
        wpe = new Embedding(Context, Dim);
        var blocks = new TinyBlock[layers];
        for (int i = 0; i < layers; i++) blocks[i] = new TinyBlock();
        h = new ModuleList<TinyBlock>(blocks);
        ln_f = new LayerNorm(Dim);
        c_head = new Conv1D(Dim, Dim, initStd: 0.2);
        lm_head = Linear.TiedTo(wte);
        using (no_grad())
        {
            nn.init.normal_(wte.weight, 0, 0.1);   // small, as GPT-2's 0.02, so the tied head starts near uniform
            nn.init.normal_(wpe.weight, 0, 0.1);
        }
        register_module("wte", wte);
        register_module("wpe", wpe);
        register_module("h", h);
        register_module("ln_f", ln_f);
        register_module("c_head", c_head);
        register_module("lm_head", lm_head);
    }

    public Embedding wte { get; }
    public Embedding wpe { get; }
    public ModuleList<TinyBlock> h { get; }
    public LayerNorm ln_f { get; }
    public Conv1D c_head { get; }
    public Linear lm_head { get; }

    public long VocabularySize => Vocab;
    public long ContextLength => Context;
    public long EmbeddingDim => Dim;

    public Tensor EmbedTokens(Tensor ids) => wte.forward(ids);

    public Tensor ForwardEmbeddings(Tensor embeddings, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        long time = embeddings.shape[1];
        if (time > Context) throw new ArgumentException($"Sequence of {time} exceeds the context of {Context}.");
        var positions = attentionMask is null
            ? arange(time, device: embeddings.device).unsqueeze(0)                         // (1, T)
            : (attentionMask.to_type(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);       // (B, T)
        var x = embeddings + wpe.forward(positions);                                       // (B, T, D)
        foreach (var block in h) x = block.forward(x);
        x = ln_f.forward(x);
        x = x + c_head.forward(x);                                                         // (B, T, D)
        return lm_head.forward(x).MoveToOuterDisposeScope();                               // (B, T, V)
    }

    public Tensor Forward(Tensor ids, Tensor? attentionMask = null)
    {
        using var embeddings = EmbedTokens(ids);
        return ForwardEmbeddings(embeddings, attentionMask);
    }

    public override Tensor forward(Tensor ids) => Forward(ids);
}

/// <summary>Pre-norm block with adapter slots applied to each sub-layer's output before the residual add.</summary>
internal sealed class TinyBlock : DslModule<Tensor, Tensor>
{
    public TinyBlock() : base(nameof(TinyBlock))
    {
        ln_1 = new LayerNorm(TinyLm.Dim);
        attn = new CausalSelfAttention(TinyLm.Dim, TinyLm.Heads);
        ln_2 = new LayerNorm(TinyLm.Dim);
        mlp = new Mlp(TinyLm.Dim, 4 * TinyLm.Dim);
        register_module("ln_1", ln_1);
        register_module("attn", attn);
        register_module("ln_2", ln_2);
        register_module("mlp", mlp);
    }

    public LayerNorm ln_1 { get; }
    public CausalSelfAttention attn { get; }
    public LayerNorm ln_2 { get; }
    public Mlp mlp { get; }
    public nn.Module<Tensor, Tensor>? AttentionAdapter { get; set; }
    public nn.Module<Tensor, Tensor>? MlpAdapter { get; set; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = attn.forward(ln_1.forward(x));                // (B, T, D)
        if (AttentionAdapter is { } attentionAdapter) a = attentionAdapter.call(a);
        x = x + a;
        var m = mlp.forward(ln_2.forward(x));                 // (B, T, D)
        if (MlpAdapter is { } mlpAdapter) m = mlpAdapter.call(m);
        return (x + m).MoveToOuterDisposeScope();
    }
}
