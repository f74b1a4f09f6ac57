using ModelDsl.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generation;

/// <summary>
/// A stand-in for a soft-prompt PEFT setup: prepends learned virtual-token embeddings to every row and drops their
/// logits. It supports the cache the way the brief for setups says: virtual tokens only on the prefill call.
/// </summary>
internal sealed class SoftPromptDecoder(IIncrementalDecoder inner, Tensor virtualTokens, bool supportsCache = true) : IIncrementalDecoder
{
    readonly long _count = virtualTokens.shape[0];   // virtualTokens: (N, D)

    public long VocabularySize => inner.VocabularySize;
    public long ContextLength => inner.ContextLength - _count;
    public long EmbeddingDim => inner.EmbeddingDim;
    public bool SupportsKeyValueCache => supportsCache;

    /// <summary>How many caches generation asked for.</summary>
    public int CachesCreated { get; private set; }

    public Tensor EmbedTokens(Tensor ids) => inner.EmbedTokens(ids);

    public Tensor Forward(Tensor ids, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        return ForwardEmbeddings(EmbedTokens(ids), attentionMask).MoveToOuterDisposeScope();
    }

    public Tensor ForwardEmbeddings(Tensor embeddings, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        var (withPrompt, mask) = Prepend(embeddings, attentionMask);                                  // (B, N+T, D), (B, N+T)
        return DropVirtual(inner.ForwardEmbeddings(withPrompt, mask)).MoveToOuterDisposeScope();      // (B, T, V)
    }

    public KeyValueCache CreateCache(long batch, long capacity)
    {
        CachesCreated++;
        return inner.CreateCache(batch, capacity + _count);
    }

    public Tensor ForwardEmbeddingsCached(Tensor embeddings, Tensor? attentionMask, KeyValueCache cache)
    {
        if (cache.Length > 0) return inner.ForwardEmbeddingsCached(embeddings, attentionMask, cache);
        using var scope = NewDisposeScope();
        var (withPrompt, mask) = Prepend(embeddings, attentionMask);                                   // (B, N+T, D), (B, N+T)
        return DropVirtual(inner.ForwardEmbeddingsCached(withPrompt, mask, cache)).MoveToOuterDisposeScope();
    }

    (Tensor Embeddings, Tensor Mask) Prepend(Tensor embeddings, Tensor? attentionMask)
    {
        long batch = embeddings.shape[0], time = embeddings.shape[1];
        var prompt = virtualTokens.unsqueeze(0).expand(batch, _count, EmbeddingDim);                        // (B, N, D)
        var mask = attentionMask ?? ones(batch, time, dtype: ScalarType.Int64);                              // (B, T)
        var promptMask = ones(batch, _count, dtype: mask.dtype);                                             // (B, N)
        return (cat([prompt, embeddings], 1), cat([promptMask, mask], 1));
    }

    Tensor DropVirtual(Tensor logits) => logits[TensorIndex.Colon, TensorIndex.Slice(_count), TensorIndex.Colon];   // (B, T, V)
}
