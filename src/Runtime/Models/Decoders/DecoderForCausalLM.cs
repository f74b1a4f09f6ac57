using System;
using System.Collections.Generic;
using ModelDsl.Families;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// What every rotary decoder family (Llama, Mistral, Qwen2, Qwen3, Phi-3, Gemma) has in common as a causal language
/// model: its configuration, its sizes and how its checkpoint keys map to its state dict. The modules themselves are in
/// <see cref="DecoderForCausalLM{TAttention, TMlp}"/>; a family only chooses its attention and MLP and names itself.
/// </summary>
public abstract class DecoderForCausalLM : DecoderLanguageModel
{
    private protected DecoderForCausalLM(DecoderConfig config, string name) : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        BaseConfig = config;
        Shape = config.ToShape();
    }

    // Each family exposes it typed as Config; one property per name, as TorchSharp's to(…) looks properties up by name.
    internal DecoderConfig BaseConfig { get; }

    internal FamilyShape Shape { get; }

    /// <summary>The trunk registered as <c>model</c> (embedding, layers, final norm), where a head of another kind sits.</summary>
    internal abstract nn.Module Trunk { get; }

    /// <summary>The trunk's final hidden states <c>[B, T, D]</c> for embeddings at <paramref name="positions"/>.</summary>
    internal abstract Tensor ForwardTrunk(Tensor embeddings, Tensor positions, Tensor? mask);

    /// <inheritdoc/>
    public override long VocabularySize => Shape.Vocab;

    /// <inheritdoc/>
    public override long ContextLength => Shape.Context;

    /// <inheritdoc/>
    public override long EmbeddingDim => Shape.Dim;

    /// <inheritdoc/>
    protected override int LayerCount => Shape.Layers;

    /// <inheritdoc/>
    protected override string FamilyName => Shape.Traits.DisplayName;

    /// <summary>How checkpoint keys map to this model's state-dict keys (read by <c>ModelDsl.IO.PretrainedCheckpoint</c>).</summary>
    internal CheckpointKeyMap CheckpointKeys => Shape.TieEmbeddings ? TiedKeyMap : UntiedKeyMap;

    // Older exports stored the rotary frequencies (model.layers.N.self_attn.rotary_emb.inv_freq, model.rotary_emb.inv_freq);
    // they are recomputed from rope_theta and rope_scaling here.
    static string? ToModelKey(string key) =>
        key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) ? null : key;

    static readonly CheckpointKeyMap UntiedKeyMap = new(ToModelKey, new Dictionary<string, string>());

    static readonly CheckpointKeyMap TiedKeyMap = new(ToModelKey,
        new Dictionary<string, string> { ["lm_head.weight"] = "model.embed_tokens.weight" });
}

/// <summary>
/// A rotary decoder with its language-model head, laid out as Hugging Face's <c>…ForCausalLM</c> classes so checkpoints
/// load key for key: <c>model.{embed_tokens, layers.N.{self_attn.…, mlp.…, input_layernorm, post_attention_layernorm},
/// norm}</c> and <c>lm_head</c> (tied to the embedding when <c>tie_word_embeddings</c>).
/// </summary>
/// <typeparam name="TAttention">The family's attention.</typeparam>
/// <typeparam name="TMlp">The family's MLP.</typeparam>
public abstract class DecoderForCausalLM<TAttention, TMlp> : DecoderForCausalLM
    where TAttention : DecoderAttention
    where TMlp : DecoderMlp
{
    /// <summary>The trunk (embedding, layers, final norm).</summary>
    public DecoderModel<TAttention, TMlp> model { get; }

    /// <summary>Output head <c>[Vocab, D]</c>; shares <c>model.embed_tokens.weight</c> when tied.</summary>
    public Linear lm_head { get; }

    /// <inheritdoc/>
    public override bool GradientCheckpointing
    {
        get => model.GradientCheckpointing;
        set => model.GradientCheckpointing = value;
    }

    /// <inheritdoc/>
    protected override Device CacheDevice => model.embed_tokens.weight.device;

    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    private protected DecoderForCausalLM(DecoderConfig config, string name, Device? device, ScalarType? dtype) : base(config, name)
    {
        model = new DecoderModel<TAttention, TMlp>(Shape, device, dtype);
        lm_head = Shape.TieEmbeddings
            ? Linear.TiedTo(model.embed_tokens)
            : DecoderInit.Linear(Shape.Dim, Shape.Vocab, false, device, dtype);
        register_module("model", model);
        register_module("lm_head", lm_head);
    }

    /// <inheritdoc/>
    public override Tensor EmbedTokens(Tensor ids) => model.embed_tokens.forward(ids);

    internal override nn.Module Trunk => model;

    internal override Tensor ForwardTrunk(Tensor embeddings, Tensor positions, Tensor? mask) => model.Forward(embeddings, positions, mask);

    /// <inheritdoc/>
    protected override Tensor DecodeHidden(Tensor embeddings, Tensor positions, Tensor? mask, KeyValueCache? cache) =>
        model.Forward(embeddings, positions, mask, cache);   // (B, T, D)

    /// <inheritdoc/>
    protected override Tensor Head(Tensor hidden) => lm_head.forward(hidden);   // (B, T, D) → (B, T, V)

    internal override Linear HeadLayer => lm_head;
}
