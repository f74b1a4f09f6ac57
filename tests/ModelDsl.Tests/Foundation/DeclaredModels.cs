using ModelDsl;
using ModelDsl.Layers;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Foundation;

// Declarations compiled by the real generator (referenced as an analyzer by this project).

/// <summary>GPT-2 small's shape, written with layer attributes: 12 × 768, 12 heads, vocab 50257, context 1024, tied head.</summary>
[Model]
public partial class Gpt2SmallShaped
{
    public const int Vocab = 50257, Dim = 768, Heads = 12, Layers = 12, Context = 1024;

    [Embedding(Vocab, Dim)] public partial Embedding Wte { get; }
    [Embedding(Context, Dim)] public partial Embedding Wpe { get; }
    [Repeat(Layers)] public partial ModuleList<Gpt2SmallBlock> H { get; }
    [LayerNorm(Dim)] public partial LayerNorm LnF { get; }
    [Linear(Dim, Vocab, Bias = false, TiedTo = nameof(Wte))] public partial Linear LmHead { get; }

    public Tensor Forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var x = Wte.call(ids) + Wpe.call(arange(ids.shape[1], device: ids.device));
        foreach (var block in H) x = block.call(x);
        return LmHead.call(LnF.call(x)).MoveToOuterDisposeScope();
    }
}

[Module]
public partial class Gpt2SmallBlock
{
    [LayerNorm(Gpt2SmallShaped.Dim, Name = "ln_1")] public partial LayerNorm Ln1 { get; }
    [CausalSelfAttention(Gpt2SmallShaped.Dim, Gpt2SmallShaped.Heads)] public partial CausalSelfAttention Attn { get; }
    [LayerNorm(Gpt2SmallShaped.Dim, Name = "ln_2")] public partial LayerNorm Ln2 { get; }
    [Mlp(Gpt2SmallShaped.Dim, 4 * Gpt2SmallShaped.Dim)] public partial Mlp Mlp { get; }

    public Tensor Forward(Tensor x)
    {
        x = x + Attn.call(Ln1.call(x));
        return x + Mlp.call(Ln2.call(x));
    }
}

/// <summary>A tiny character-level GPT for real training steps.</summary>
[Model]
public partial class TinyDeclaredGpt
{
    public const int Vocab = 16, Dim = 32, Heads = 4, Layers = 2, Context = 16;

    [Embedding(Vocab, Dim)] public partial Embedding Wte { get; }
    [Embedding(Context, Dim)] public partial Embedding Wpe { get; }
    [Repeat(Layers)] public partial ModuleList<TinyDeclaredBlock> H { get; }
    [LayerNorm(Dim)] public partial LayerNorm LnF { get; }
    [Linear(Dim, Vocab, Bias = false, TiedTo = nameof(Wte))] public partial Linear LmHead { get; }

    public Tensor Forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var x = Wte.call(ids) + Wpe.call(arange(ids.shape[1], device: ids.device));
        foreach (var block in H) x = block.call(x);
        return LmHead.call(LnF.call(x)).MoveToOuterDisposeScope();
    }
}

[Module]
public partial class TinyDeclaredBlock
{
    [LayerNorm(TinyDeclaredGpt.Dim, Name = "ln_1")] public partial LayerNorm Ln1 { get; }
    [CausalSelfAttention(TinyDeclaredGpt.Dim, TinyDeclaredGpt.Heads, KvHeads = 2)] public partial CausalSelfAttention Attn { get; }
    [LayerNorm(TinyDeclaredGpt.Dim, Name = "ln_2")] public partial LayerNorm Ln2 { get; }
    [Mlp(TinyDeclaredGpt.Dim, 4 * TinyDeclaredGpt.Dim)] public partial Mlp Mlp { get; }

    public Tensor Forward(Tensor x)
    {
        x = x + Attn.call(Ln1.call(x));
        return x + Mlp.call(Ln2.call(x));
    }
}
