using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>The Llama trunk, registered as <c>model</c>: <c>embed_tokens</c>, <c>layers</c>, final <c>norm</c>.</summary>
public sealed class LlamaModel : DslModule
{
    /// <summary>Token embedding, <c>[Vocab, D]</c>.</summary>
    public Embedding embed_tokens { get; }

    /// <summary>The decoder layers.</summary>
    public ModuleList<LlamaDecoderLayer> layers { get; }

    /// <summary>Final RMS norm.</summary>
    public RmsNorm norm { get; }

    /// <summary>Rotary position embedding (no parameters, not registered).</summary>
    public RotaryEmbedding Rotary { get; }

    /// <summary>Creates the trunk for <paramref name="config"/>, initialised as Hugging Face does.</summary>
    public LlamaModel(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaModel))
    {
        embed_tokens = new Embedding(config.Vocab, config.Dim, device, dtype);
        using (no_grad()) nn.init.normal_(embed_tokens.weight, 0, LlamaInit.Std);
        var blocks = new LlamaDecoderLayer[config.Layers];
        for (var i = 0; i < blocks.Length; i++) blocks[i] = new LlamaDecoderLayer(config, device, dtype);
        layers = new ModuleList<LlamaDecoderLayer>(blocks);
        norm = new RmsNorm(config.Dim, config.NormEps, device, dtype);
        Rotary = new RotaryEmbedding(config.HeadDim, config.RopeTheta);
        register_module("embed_tokens", embed_tokens);
        register_module("layers", layers);
        register_module("norm", norm);
    }

    /// <summary>
    /// Hidden states <c>[B, T, D]</c> for embeddings <c>[B, T, D]</c> at <paramref name="positionIds"/> <c>[B, T]</c>;
    /// <paramref name="attentionMask"/> is <c>[B, 1, T, T]</c> boolean or null for plain causal attention. With
    /// <paramref name="cache"/> the tokens follow the cached ones and the mask is <c>[B, 1, T, cached + T]</c>.
    /// </summary>
    public Tensor Forward(Tensor embeddings, Tensor positionIds, Tensor? attentionMask, KeyValueCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = Rotary.Compute(positionIds, embeddings.dtype);     // (B, 1, T, hd) each
        var context = new DecoderContext(cos, sin, attentionMask);
        var x = embeddings;                                                  // (B, T, D)
        for (var i = 0; i < layers.Count; i++) x = layers[i].Forward(x, context, cache?[i]);
        return norm.forward(x).MoveToOuterDisposeScope();                   // (B, T, D)
    }
}
