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
public class LlamaForCausalLM : DslModule<Tensor, Tensor>, IIncrementalDecoder
{
    /// <summary>The sizes this model was built with.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The trunk (embedding, layers, final norm).</summary>
    public LlamaModel model { get; }

    /// <summary>Output head <c>[Vocab, D]</c>; shares <c>model.embed_tokens.weight</c> when tied.</summary>
    public Linear lm_head { get; }

    /// <inheritdoc/>
    public long VocabularySize => Config.Vocab;

    /// <inheritdoc/>
    public long ContextLength => Config.Context;

    /// <inheritdoc/>
    public long EmbeddingDim => Config.Dim;

    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public LlamaForCausalLM(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        model = new LlamaModel(config, device, dtype);
        lm_head = config.TieEmbeddings
            ? Linear.TiedTo(model.embed_tokens.weight)
            : LlamaInit.Linear(config.Dim, config.Vocab, device, dtype);
        register_module("model", model);
        register_module("lm_head", lm_head);
    }

    /// <inheritdoc/>
    public Tensor EmbedTokens(Tensor ids) => model.embed_tokens.forward(ids);

    /// <inheritdoc/>
    public Tensor ForwardEmbeddings(Tensor embeddings, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        long batch = embeddings.shape[0], time = embeddings.shape[1];
        if (time > Config.Context)
            throw new ArgumentException($"The input has {time} positions but the model was configured for a context of {Config.Context}; truncate the input.", nameof(embeddings));
        Tensor positions;
        Tensor? mask = null;   // null: plain causal attention, the fast path
        if (attentionMask is null)
        {
            positions = PaddingMask.DefaultPositionIds(batch, time, embeddings.device);   // (B, T)
        }
        else
        {
            PaddingMask.CheckShape(attentionMask, embeddings);
            positions = PaddingMask.PositionIds(attentionMask);                           // (B, T)
            mask = PaddingMask.CausalAttentionMask(attentionMask);                        // (B, 1, T, T)
        }
        var hidden = model.Forward(embeddings, positions, mask);                          // (B, T, D)
        return lm_head.forward(hidden).MoveToOuterDisposeScope();                         // (B, T, V)
    }

    /// <inheritdoc/>
    public Tensor Forward(Tensor ids, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        return ForwardEmbeddings(EmbedTokens(ids), attentionMask).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public KeyValueCache CreateCache(long batch, long capacity)
    {
        if (capacity > Config.Context)
            throw new ArgumentOutOfRangeException(nameof(capacity), $"A cache of {capacity} positions exceeds the model's context of {Config.Context}.");
        return new KeyValueCache(Config.Layers, batch, capacity, model.embed_tokens.weight.device);
    }

    /// <inheritdoc/>
    public Tensor ForwardEmbeddingsCached(Tensor embeddings, Tensor? attentionMask, KeyValueCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        using var scope = NewDisposeScope();
        long batch = embeddings.shape[0], time = embeddings.shape[1];
        var newMask = attentionMask ?? ones(batch, time, dtype: ScalarType.Int64, device: embeddings.device);   // (B, T)
        var (positions, mask) = cache.BeginStep(newMask);                   // (B, T), (B, 1, T, L+T)
        try
        {
            var hidden = model.Forward(embeddings, positions, mask, cache);  // (B, T, D)
            var logits = lm_head.forward(hidden);                             // (B, T, V)
            cache.EndStep();
            return logits.MoveToOuterDisposeScope();
        }
        catch
        {
            cache.AbortStep();
            throw;
        }
    }

    /// <summary>Logits <c>[B, T, Vocab]</c> for token ids <c>[B, T]</c> without padding.</summary>
    public override Tensor forward(Tensor ids) => Forward(ids);

    /// <summary>How checkpoint keys map to this model's state-dict keys (read by <c>ModelDsl.IO.PretrainedCheckpoint</c>).</summary>
    internal CheckpointKeyMap CheckpointKeys => Config.TieEmbeddings ? TiedKeyMap : UntiedKeyMap;

    // Older exports stored the rotary frequencies; they are recomputed from rope_theta here.
    static string? ToModelKey(string key) =>
        key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) ? null : key;

    static readonly CheckpointKeyMap UntiedKeyMap = new(ToModelKey, new Dictionary<string, string>());

    static readonly CheckpointKeyMap TiedKeyMap = new(ToModelKey,
        new Dictionary<string, string> { ["lm_head.weight"] = "model.embed_tokens.weight" });
}
