using System;
using System.Collections.Generic;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// GPT-2 with its language-model head, laid out as Hugging Face's <c>GPT2LMHeadModel</c> so checkpoints load key
/// for key: <c>transformer.{wte, wpe, h.N.{ln_1, attn.{c_attn, c_proj}, ln_2, mlp.{c_fc, c_proj}}, ln_f}</c> and
/// <c>lm_head</c>, whose weight is the token embedding (tied, stored once).
/// </summary>
public class Gpt2LMHeadModel : DecoderLanguageModel
{
    /// <summary>The sizes this model was built with.</summary>
    public Gpt2Config Config { get; }

    /// <summary>The trunk (embeddings, blocks, final norm).</summary>
    public Gpt2Model transformer { get; }

    /// <summary>Output head, tied to <c>transformer.wte.weight</c>.</summary>
    public Linear lm_head { get; }

    /// <inheritdoc/>
    public override long VocabularySize => Config.Vocab;

    /// <inheritdoc/>
    public override long ContextLength => Config.Context;

    /// <inheritdoc/>
    public override long EmbeddingDim => Config.Dim;

    /// <inheritdoc/>
    public override bool GradientCheckpointing
    {
        get => transformer.GradientCheckpointing;
        set => transformer.GradientCheckpointing = value;
    }

    /// <inheritdoc/>
    protected override int LayerCount => Config.Layers;

    /// <inheritdoc/>
    protected override string FamilyName => "GPT-2";

    /// <inheritdoc/>
    protected override Device CacheDevice => transformer.wte.weight.device;

    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public Gpt2LMHeadModel(Gpt2Config config, Device? device = null, ScalarType? dtype = null) : base(nameof(Gpt2LMHeadModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        transformer = new Gpt2Model(config, device, dtype);
        lm_head = Linear.TiedTo(transformer.wte);
        register_module("transformer", transformer);
        register_module("lm_head", lm_head);
    }

    /// <inheritdoc/>
    public override Tensor EmbedTokens(Tensor ids) => transformer.wte.forward(ids);

    /// <inheritdoc/>
    protected override Tensor DecodeHidden(Tensor embeddings, Tensor positions, Tensor? mask, KeyValueCache? cache) =>
        transformer.Forward(embeddings, positions, mask, cache);   // (B, T, D)

    /// <inheritdoc/>
    protected override Tensor Head(Tensor hidden) => lm_head.forward(hidden);   // (B, T, D) → (B, T, V)

    internal override Linear HeadLayer => lm_head;

    /// <summary>How checkpoint keys map to this model's state-dict keys (read by <c>ModelDsl.IO.PretrainedCheckpoint</c>).</summary>
    internal CheckpointKeyMap CheckpointKeys => KeyMap;

    static readonly CheckpointKeyMap KeyMap = new(
        key =>
        {
            // attn.bias / attn.masked_bias are causal-mask buffers older exports stored; the mask is built per call here.
            if (key.EndsWith(".attn.bias", StringComparison.Ordinal) || key.EndsWith(".attn.masked_bias", StringComparison.Ordinal))
                return null;
            return key.StartsWith("transformer.", StringComparison.Ordinal) ? key : "transformer." + key;
        },
        new Dictionary<string, string> { ["lm_head.weight"] = "transformer.wte.weight" });
}
