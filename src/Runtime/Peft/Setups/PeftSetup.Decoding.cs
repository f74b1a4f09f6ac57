using System;
using TorchSharp;
using static TorchSharp.torch;
using ModelDsl.Models;

namespace ModelDsl.Peft;

// Incremental decoding through a setup: LoRA and bottleneck adapters live inside the base's layers, so the base's
// cache serves them unchanged; a soft prompt is prepended on the prefill call only, its keys and values then stay
// in the cache like any other position.
public abstract partial class PeftSetup : IIncrementalDecoder
{
    /// <summary>The base can cache keys and values (the runtime's GPT-2 and Llama can).</summary>
    public bool SupportsKeyValueCache => _languageModel is IIncrementalDecoder { SupportsKeyValueCache: true };

    /// <summary>A cache for the base, with room for the soft prompt's virtual tokens as well.</summary>
    public KeyValueCache CreateCache(long batch, long capacity) =>
        Decoder.CreateCache(batch, capacity + (UsesPrompt ? ActivePrompt!.Tokens : 0));

    /// <summary>
    /// One decoding step from embeddings <c>[B, T, D]</c> → logits <c>[B, T, V]</c>; on the first (prefill) step the
    /// active soft prompt is prepended and its logit positions dropped.
    /// </summary>
    public Tensor ForwardEmbeddingsCached(Tensor embeddings, Tensor? attentionMask, KeyValueCache cache)
    {
        if (!UsesPrompt || cache.Length > 0) return Decoder.ForwardEmbeddingsCached(embeddings, attentionMask, cache);
        using var scope = NewDisposeScope();
        var (joined, mask) = WithPrompt(embeddings, attentionMask);
        var logits = Decoder.ForwardEmbeddingsCached(joined, mask, cache);                                  // (B, P + T, V)
        return logits.narrow(1, ActivePrompt!.Tokens, embeddings.shape[1]).MoveToOuterDisposeScope();      // (B, T, V)
    }

    /// <summary>
    /// The last position's logits <c>[B, 1, V]</c> of a decoding step; on the prefill step the active soft prompt is
    /// prepended (its virtual tokens come first, so the last position is still the last real token).
    /// </summary>
    public Tensor ForwardEmbeddingsCachedLast(Tensor embeddings, Tensor? attentionMask, KeyValueCache cache)
    {
        if (!UsesPrompt || cache.Length > 0) return Decoder.ForwardEmbeddingsCachedLast(embeddings, attentionMask, cache);
        using var scope = NewDisposeScope();
        var (joined, mask) = WithPrompt(embeddings, attentionMask);
        return Decoder.ForwardEmbeddingsCachedLast(joined, mask, cache).MoveToOuterDisposeScope();          // (B, 1, V)
    }

    // A prefill's input with the active soft prompt's virtual tokens in front, and its mask (none when the input has
    // none: the virtual tokens are real too).
    (Tensor Joined, Tensor? Mask) WithPrompt(Tensor embeddings, Tensor? attentionMask)
    {
        var prompt = ActivePrompt!;
        return (prompt.Prepend(embeddings), attentionMask is null ? null : prompt.ExtendAttentionMask(attentionMask));   // (B, P + T, D), (B, P + T)
    }

    bool UsesPrompt => ActivePrompt is not null && _disabledDepth == 0;

    IIncrementalDecoder Decoder => _languageModel as IIncrementalDecoder ?? throw new InvalidOperationException(
        $"{BaseModel.GetType().Name} cannot cache keys and values; generate with UseCache = false.");
}
