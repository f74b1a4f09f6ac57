using ModelDsl.Layers;
using ModelDsl.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training.Support;

/// <summary>A test-only causal LM: token + position embeddings, one pre-norm transformer block with dropout, a head.</summary>
internal sealed class TinyLm : DslModule, ICausalLanguageModel
{
    public Embedding wte { get; }
    public Embedding wpe { get; }
    public LayerNorm ln_1 { get; }
    public CausalSelfAttention attn { get; }
    public LayerNorm ln_2 { get; }
    public Mlp mlp { get; }
    public LayerNorm ln_f { get; }
    public Linear lm_head { get; }
    public Dropout drop { get; }

    public TinyLm(int vocab, int dim = 32, int context = 64, double dropout = 0.1) : base(nameof(TinyLm))
    {
        VocabularySize = vocab;
        ContextLength = context;
        EmbeddingDim = dim;
        wte = new Embedding(vocab, dim);
        wpe = new Embedding(context, dim);
        using (no_grad())
        {
            // Small embeddings keep the initial loss near ln(vocab), as GPT-2 initialises them.
            wte.weight.mul_(0.1);
            wpe.weight.mul_(0.1);
        }
        ln_1 = new LayerNorm(dim);
        attn = new CausalSelfAttention(dim, heads: 2);
        ln_2 = new LayerNorm(dim);
        mlp = new Mlp(dim, 4 * dim);
        ln_f = new LayerNorm(dim);
        lm_head = new Linear(dim, vocab, hasBias: false);
        drop = new Dropout(dropout);
        register_module("wte", wte);
        register_module("wpe", wpe);
        register_module("ln_1", ln_1);
        register_module("attn", attn);
        register_module("ln_2", ln_2);
        register_module("mlp", mlp);
        register_module("ln_f", ln_f);
        register_module("lm_head", lm_head);
        register_module("drop", drop);
    }

    public long VocabularySize { get; }
    public long ContextLength { get; }
    public long EmbeddingDim { get; }

    public Tensor EmbedTokens(Tensor ids) => wte.forward(ids);

    public Tensor ForwardEmbeddings(Tensor embeddings, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        var time = embeddings.shape[1];
        using var positions = arange(time, dtype: ScalarType.Int64);
        var x = drop.forward(embeddings + wpe.forward(positions));  // (B, T, C)
        x = x + attn.forward(ln_1.forward(x));
        x = x + mlp.forward(ln_2.forward(x));
        return lm_head.forward(ln_f.forward(x)).MoveToOuterDisposeScope(); // (B, T, V)
    }

    public Tensor Forward(Tensor ids, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        return ForwardEmbeddings(EmbedTokens(ids), attentionMask).MoveToOuterDisposeScope();
    }
}
