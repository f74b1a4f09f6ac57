using ModelDsl.Layers;
using ModelDsl.Layers.Checkpointing;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// The GPT-2 trunk, registered as <c>transformer</c>: token embedding <c>wte</c>, learned positions <c>wpe</c>,
/// blocks <c>h</c>, final norm <c>ln_f</c>.
/// </summary>
public sealed class Gpt2Model : DslModule
{
    /// <summary>Token embedding, <c>[Vocab, D]</c>.</summary>
    public Embedding wte { get; }

    /// <summary>Position embedding, <c>[Context, D]</c>.</summary>
    public Embedding wpe { get; }

    /// <summary>The blocks.</summary>
    public ModuleList<Gpt2Block> h { get; }

    /// <summary>Final norm.</summary>
    public LayerNorm ln_f { get; }

    /// <summary>
    /// Whether each block's forward is recomputed in backward instead of keeping its activations
    /// (<see cref="GradientCheckpoint"/>): only while training with gradients recorded and without a key/value cache.
    /// </summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>Creates the trunk for <paramref name="config"/>, initialised as Hugging Face does.</summary>
    public Gpt2Model(Gpt2Config config, Device? device = null, ScalarType? dtype = null) : base(nameof(Gpt2Model))
    {
        wte = new Embedding(config.Vocab, config.Dim, device, dtype);
        wpe = new Embedding(config.Context, config.Dim, device, dtype);
        using (no_grad())
        {
            nn.init.normal_(wte.weight, 0, 0.02);
            nn.init.normal_(wpe.weight, 0, 0.02);
        }
        var blocks = new Gpt2Block[config.Layers];
        for (var i = 0; i < blocks.Length; i++) blocks[i] = new Gpt2Block(config, device, dtype);
        h = new ModuleList<Gpt2Block>(blocks);
        ln_f = new LayerNorm(config.Dim, config.NormEps, device, dtype);
        register_module("wte", wte);
        register_module("wpe", wpe);
        register_module("h", h);
        register_module("ln_f", ln_f);
    }

    /// <summary>
    /// Hidden states <c>[B, T, D]</c> for token embeddings <c>[B, T, D]</c> at <paramref name="positionIds"/> <c>[B, T]</c>;
    /// <paramref name="attentionMask"/> is <c>[B, 1, T, T]</c> boolean or null for plain causal attention. With
    /// <paramref name="cache"/> the tokens follow the cached ones and the mask is <c>[B, 1, T, cached + T]</c>.
    /// </summary>
    public Tensor Forward(Tensor embeddings, Tensor positionIds, Tensor? attentionMask, KeyValueCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var x = embeddings + wpe.forward(positionIds);         // (B, T, D)
        var checkpoint = GradientCheckpointing && training && cache is null;
        for (var i = 0; i < h.Count; i++)
        {
            var block = h[i];
            x = checkpoint
                ? GradientCheckpoint.Run((input, mask) => block.Forward(input, mask[0], null), x, attentionMask)
                : block.Forward(x, attentionMask, cache?[i]);
        }
        return ln_f.forward(x).MoveToOuterDisposeScope();      // (B, T, D)
    }
}
