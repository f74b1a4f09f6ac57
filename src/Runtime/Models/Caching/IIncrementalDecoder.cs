using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// A causal language model that can decode incrementally with a <see cref="KeyValueCache"/>: the prompt is run once
/// (prefill) and each later call feeds only the new tokens. Generation uses this when a model offers it and
/// recomputes the whole sequence otherwise. A wrapper (a PEFT setup) supports it by delegating to its base model;
/// a soft-prompt setup prepends its virtual tokens only on the prefill call (when <see cref="KeyValueCache.Length"/>
/// is 0), sizes the cache for them, and drops their logits.
/// </summary>
public interface IIncrementalDecoder : ICausalLanguageModel
{
    /// <summary>
    /// Whether this instance can decode with a cache now. A wrapper whose base model may or may not be an
    /// <see cref="IIncrementalDecoder"/> answers for its base; generation recomputes the sequence when false.
    /// </summary>
    bool SupportsKeyValueCache => true;

    /// <summary>An empty cache for <paramref name="batch"/> sequences of up to <paramref name="capacity"/> positions (at most the context window).</summary>
    KeyValueCache CreateCache(long batch, long capacity);

    /// <summary>
    /// Runs the new tokens' embeddings <c>[B, T, EmbeddingDim]</c> after those already in <paramref name="cache"/>
    /// and returns their logits <c>[B, T, VocabularySize]</c>. <paramref name="attentionMask"/> <c>[B, T]</c> marks the
    /// new tokens that are real (1) or padding (0); null means all real. Positions continue from the cached real
    /// tokens, so left-padded prompts decode as if alone.
    /// </summary>
    Tensor ForwardEmbeddingsCached(Tensor embeddings, Tensor? attentionMask, KeyValueCache cache);

    /// <summary>
    /// <see cref="ForwardEmbeddingsCached"/> returning the last position's logits only, <c>[B, 1, VocabularySize]</c>:
    /// what picking the next token needs. A decoder that can skip the head for the other positions (a prefill's prompt
    /// tokens) overrides this; the default slices the full logits.
    /// </summary>
    Tensor ForwardEmbeddingsCachedLast(Tensor embeddings, Tensor? attentionMask, KeyValueCache cache)
    {
        using var scope = NewDisposeScope();
        var logits = ForwardEmbeddingsCached(embeddings, attentionMask, cache);          // (B, T, V)
        return logits.narrow(1, logits.shape[1] - 1, 1).MoveToOuterDisposeScope();   // (B, 1, V)
    }
}
