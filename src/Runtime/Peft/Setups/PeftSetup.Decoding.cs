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
        var prompt = ActivePrompt!;
        var mask = attentionMask ?? ones(embeddings.shape[0], embeddings.shape[1], dtype: ScalarType.Int64); // (B, T)
        var joined = prompt.Prepend(embeddings);                                                            // (B, P + T, D)
        var logits = Decoder.ForwardEmbeddingsCached(joined, prompt.ExtendAttentionMask(mask), cache);      // (B, P + T, V)
        return logits.narrow(1, prompt.Tokens, embeddings.shape[1]).MoveToOuterDisposeScope();             // (B, T, V)
    }

    bool UsesPrompt => ActivePrompt is not null && _disabledDepth == 0;

    IIncrementalDecoder Decoder => _languageModel as IIncrementalDecoder ?? throw new InvalidOperationException(
        $"{BaseModel.GetType().Name} cannot cache keys and values; generate with UseCache = false.");
}
