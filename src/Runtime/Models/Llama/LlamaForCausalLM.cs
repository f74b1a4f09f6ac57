using System;
using System.Collections.Generic;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// Llama with its language-model head, laid out as Hugging Face's <c>LlamaForCausalLM</c> so checkpoints load key
/// for key: <c>model.{embed_tokens, layers.N.{self_attn.{q,k,v,o}_proj, mlp.{gate,up,down}_proj, input_layernorm,
/// post_attention_layernorm}, norm}</c> and <c>lm_head</c> (tied to the embedding when
/// <see cref="LlamaConfig.TieEmbeddings"/>).
/// </summary>
public class LlamaForCausalLM : DecoderLanguageModel
{
    /// <summary>The sizes this model was built with.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The trunk (embedding, layers, final norm).</summary>
    public LlamaModel model { get; }

    /// <summary>Output head <c>[Vocab, D]</c>; shares <c>model.embed_tokens.weight</c> when tied.</summary>
    public Linear lm_head { get; }

    /// <inheritdoc/>
    public override long VocabularySize => Config.Vocab;

    /// <inheritdoc/>
    public override long ContextLength => Config.Context;

    /// <inheritdoc/>
    public override long EmbeddingDim => Config.Dim;

    /// <inheritdoc/>
    protected override int LayerCount => Config.Layers;

    /// <inheritdoc/>
    protected override string FamilyName => "Llama";

    /// <inheritdoc/>
    protected override Device CacheDevice => model.embed_tokens.weight.device;

    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public LlamaForCausalLM(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        model = new LlamaModel(config, device, dtype);
        lm_head = config.TieEmbeddings
            ? Linear.TiedTo(model.embed_tokens)
            : LlamaInit.Linear(config.Dim, config.Vocab, device, dtype);
        register_module("model", model);
        register_module("lm_head", lm_head);
    }

    /// <inheritdoc/>
    public override Tensor EmbedTokens(Tensor ids) => model.embed_tokens.forward(ids);

    /// <inheritdoc/>
    protected override Tensor Decode(Tensor embeddings, Tensor positions, Tensor? mask, KeyValueCache? cache) =>
        lm_head.forward(model.Forward(embeddings, positions, mask, cache));   // (B, T, D) → (B, T, V)

    /// <summary>How checkpoint keys map to this model's state-dict keys (read by <c>ModelDsl.IO.PretrainedCheckpoint</c>).</summary>
    internal CheckpointKeyMap CheckpointKeys => Config.TieEmbeddings ? TiedKeyMap : UntiedKeyMap;

    // Older exports stored the rotary frequencies; they are recomputed from rope_theta here.
    static string? ToModelKey(string key) =>
        key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) ? null : key;

    static readonly CheckpointKeyMap UntiedKeyMap = new(ToModelKey, new Dictionary<string, string>());

    static readonly CheckpointKeyMap TiedKeyMap = new(ToModelKey,
        new Dictionary<string, string> { ["lm_head.weight"] = "model.embed_tokens.weight" });
}
