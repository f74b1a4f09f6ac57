using ModelDsl;
using ModelDsl.Layers;
using static TorchSharp.torch;

namespace TinyGptExample;

/// <summary>A small character-level GPT, declared with layer attributes; the generator writes the rest.</summary>
[Model]
public partial class TinyGpt
{
    public const int Vocab = 32, Dim = 64, Heads = 4, Layers = 3, Context = 48;

    [Embedding(Vocab, Dim)] public partial Embedding Wte { get; }
    [Embedding(Context, Dim)] public partial Embedding Wpe { get; }
    [Repeat(Layers)] public partial ModuleList<Block> H { get; }
    [LayerNorm(Dim)] public partial LayerNorm LnF { get; }
    [Linear(Dim, Vocab, Bias = false, TiedTo = nameof(Wte))] public partial Linear LmHead { get; }

    /// <summary>Token ids (B, T) → next-token logits (B, T, Vocab).</summary>
    public Tensor Forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var positions = arange(ids.shape[1], device: ids.device);
        var x = Wte.call(ids) + Wpe.call(positions);            // (B, T, C)
        foreach (var block in H) x = block.call(x);              // (B, T, C)
        return LmHead.call(LnF.call(x)).MoveToOuterDisposeScope(); // (B, T, V)
    }
}

/// <summary>A pre-norm transformer block: attention and MLP, each added back to the residual stream.</summary>
[Module]
public partial class Block
{
    [LayerNorm(TinyGpt.Dim, Name = "ln_1")] public partial LayerNorm Ln1 { get; }
    [CausalSelfAttention(TinyGpt.Dim, TinyGpt.Heads)] public partial CausalSelfAttention Attn { get; }
    [LayerNorm(TinyGpt.Dim, Name = "ln_2")] public partial LayerNorm Ln2 { get; }
    [Mlp(TinyGpt.Dim, 4 * TinyGpt.Dim)] public partial Mlp Mlp { get; }

    public Tensor Forward(Tensor x)
    {
        x = x + Attn.call(Ln1.call(x));
        return x + Mlp.call(Ln2.call(x));
    }
}
