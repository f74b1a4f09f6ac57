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
public class Gpt2LMHeadModel : DslModule<Tensor, Tensor>, IIncrementalDecoder
{
    /// <summary>The sizes this model was built with.</summary>
    public Gpt2Config Config { get; }

    /// <summary>The trunk (embeddings, blocks, final norm).</summary>
    public Gpt2Model transformer { get; }

    /// <summary>Output head, tied to <c>transformer.wte.weight</c>.</summary>
    public Linear lm_head { get; }

    /// <inheritdoc/>
    public long VocabularySize => Config.Vocab;

    /// <inheritdoc/>
    public long ContextLength => Config.Context;

    /// <inheritdoc/>
    public long EmbeddingDim => Config.Dim;

    /// <summary>Builds the model with Hugging Face's initialisation on <paramref name="device"/> (CPU by default).</summary>
    public Gpt2LMHeadModel(Gpt2Config config, Device? device = null, ScalarType? dtype = null) : base(nameof(Gpt2LMHeadModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        transformer = new Gpt2Model(config, device, dtype);
        lm_head = Linear.TiedTo(transformer.wte.weight);
        register_module("transformer", transformer);
        register_module("lm_head", lm_head);
    }

    /// <inheritdoc/>
    public Tensor EmbedTokens(Tensor ids) => transformer.wte.forward(ids);

    /// <inheritdoc/>
    public Tensor ForwardEmbeddings(Tensor embeddings, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        long batch = embeddings.shape[0], time = embeddings.shape[1];
        if (time > Config.Context)
            throw new ArgumentException($"The input has {time} positions but GPT-2 was configured for a context of {Config.Context}; truncate the input.", nameof(embeddings));
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
        var hidden = transformer.Forward(embeddings, positions, mask); // (B, T, D)
        return lm_head.forward(hidden).MoveToOuterDisposeScope();                                    // (B, T, V)
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
            throw new ArgumentOutOfRangeException(nameof(capacity), $"A cache of {capacity} positions exceeds GPT-2's context of {Config.Context}.");
        return new KeyValueCache(Config.Layers, batch, capacity, transformer.wte.weight.device);
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
            var hidden = transformer.Forward(embeddings, positions, mask, cache);   // (B, T, D)
            var logits = lm_head.forward(hidden);                                    // (B, T, V)
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
