using System;
using ModelDsl.Layers;
using ModelDsl.Layers.Checkpointing;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models;

/// <summary>
/// What the runtime's decoder-only families share: the causal-LM entry points, padding-aware positions and masks,
/// and incremental decoding with a key/value cache. A family supplies its token embedding and its trunk + head.
/// </summary>
public abstract class DecoderLanguageModel : DslModule<Tensor, Tensor>, IIncrementalDecoder, IGradientCheckpointing, IFrozenHeadScoring
{
    /// <summary>Creates the model.</summary>
    protected DecoderLanguageModel(string name) : base(name) { }

    /// <inheritdoc/>
    public abstract long VocabularySize { get; }

    /// <inheritdoc/>
    public abstract long ContextLength { get; }

    /// <inheritdoc/>
    public abstract long EmbeddingDim { get; }

    /// <summary>
    /// Gradient checkpointing per transformer block, as Hugging Face's <c>gradient_checkpointing_enable()</c>: while
    /// training with gradients recorded, each block keeps only its input and runs its forward again in backward, so
    /// activation memory drops from every block's intermediates to one tensor per block, for about a third more compute.
    /// Gradients are those of the plain forward (dropout replays the same random numbers). Evaluation, generation and
    /// forwards under <c>no_grad</c> run as usual. The trainer's <c>GradientCheckpointing</c> option turns it on.
    /// </summary>
    public abstract bool GradientCheckpointing { get; set; }

    /// <summary>Number of attention layers (one cache slot each).</summary>
    protected abstract int LayerCount { get; }

    /// <summary>The family's name in messages (e.g. "GPT-2").</summary>
    protected abstract string FamilyName { get; }

    /// <inheritdoc/>
    public abstract Tensor EmbedTokens(Tensor ids);

    /// <summary>
    /// The trunk: embeddings <c>[B, T, D]</c> at <paramref name="positions"/> <c>[B, T]</c> → final hidden states
    /// <c>[B, T, D]</c>; <paramref name="mask"/> is <see langword="null"/> for plain causal attention (the fast path).
    /// </summary>
    protected abstract Tensor DecodeHidden(Tensor embeddings, Tensor positions, Tensor? mask, KeyValueCache? cache);

    /// <summary>The language-model head: final hidden states <c>[B, T, D]</c> → logits <c>[B, T, V]</c>.</summary>
    protected abstract Tensor Head(Tensor hidden);

    /// <summary>The layer <see cref="Head"/> runs, when the head is exactly that layer's forward.</summary>
    internal virtual Linear? HeadLayer => null;

    /// <summary>
    /// The head's weight <c>[V, D]</c> when the head is a plain float32 product that trains nothing (no bias, no active
    /// adapter, not quantized, no gradient): then the loss may be computed from the hidden states chunk by chunk
    /// (<c>ModelDsl.Training.HeadCrossEntropy</c>) without materialising the logits. Otherwise <see langword="null"/>.
    /// </summary>
    internal Tensor? FrozenHeadWeight =>
        HeadLayer is { bias: null, Quantized: null } head && head.Update is not { IsActive: true }
        && !head.weight.requires_grad && head.weight.dtype == ScalarType.Float32 && !head.WeightIsInputMajor
            ? head.weight
            : null;

    /// <inheritdoc/>
    public Tensor ForwardEmbeddings(Tensor embeddings, Tensor? attentionMask = null) => ForwardEmbeddingsFrom(embeddings, attentionMask, firstScored: 0);

    /// <summary>
    /// <see cref="ForwardEmbeddings(Tensor, Tensor?)"/> returning logits for positions <paramref name="firstScored"/>
    /// onwards only, <c>[B, T - firstScored, V]</c>: the head, the widest product of the step, skips the leading positions
    /// (a soft prompt's virtual tokens), and the logits come out contiguous rather than as a slice of larger ones.
    /// </summary>
    internal Tensor ForwardEmbeddingsFrom(Tensor embeddings, Tensor? attentionMask, long firstScored)
    {
        using var scope = NewDisposeScope();
        return Head(HiddenFrom(embeddings, attentionMask, firstScored)).MoveToOuterDisposeScope();   // (B, T - first, V)
    }

    /// <summary>
    /// The final hidden states <c>[B, T - firstScored, D]</c> that <see cref="ForwardEmbeddingsFrom"/> feeds to the head.
    /// </summary>
    internal Tensor HiddenFrom(Tensor embeddings, Tensor? attentionMask, long firstScored)
    {
        using var scope = NewDisposeScope();
        long batch = embeddings.shape[0], time = embeddings.shape[1];
        if (time > ContextLength)
            throw new ArgumentException(
                $"The input has {time} positions but {FamilyName} was configured for a context of {ContextLength}; truncate the input.", nameof(embeddings));
        Tensor positions;
        Tensor? mask = null;
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
        var hidden = DecodeHidden(embeddings, positions, mask, cache: null);               // (B, T, D)
        if (firstScored > 0) hidden = hidden.narrow(1, firstScored, time - firstScored);  // (B, T - first, D)
        return hidden.MoveToOuterDisposeScope();
    }

    HiddenForScoring? IFrozenHeadScoring.TryHiddenForScoring(Tensor ids, Tensor? attentionMask)
    {
        if (FrozenHeadWeight is not { } weight) return null;
        using var scope = NewDisposeScope();
        return new HiddenForScoring(HiddenFrom(EmbedTokens(ids), attentionMask, firstScored: 0).MoveToOuterDisposeScope(), weight);
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
        if (capacity > ContextLength)
            throw new ArgumentOutOfRangeException(nameof(capacity), $"A cache of {capacity} positions exceeds {FamilyName}'s context of {ContextLength}.");
        return new KeyValueCache(LayerCount, batch, capacity, CacheDevice);
    }

    /// <summary>Where the cache lives: the device of the parameters.</summary>
    protected abstract Device CacheDevice { get; }

    /// <inheritdoc/>
    public Tensor ForwardEmbeddingsCached(Tensor embeddings, Tensor? attentionMask, KeyValueCache cache) =>
        ForwardCached(embeddings, attentionMask, cache, lastOnly: false);

    /// <inheritdoc/>
    public Tensor ForwardEmbeddingsCachedLast(Tensor embeddings, Tensor? attentionMask, KeyValueCache cache) =>
        ForwardCached(embeddings, attentionMask, cache, lastOnly: true);

    // The head is the widest product of a step: a prefill that only needs the next token runs it on the last position.
    Tensor ForwardCached(Tensor embeddings, Tensor? attentionMask, KeyValueCache cache, bool lastOnly)
    {
        ArgumentNullException.ThrowIfNull(cache);
        using var scope = NewDisposeScope();
        if (embeddings.shape[0] != cache.Batch)
            throw new ArgumentException(
                $"The step has {embeddings.shape[0]} sequences but the cache holds {cache.Batch}; create the cache for the batch it decodes.", nameof(embeddings));
        var time = embeddings.shape[1];
        // Without a padding mask the step's tokens are all real, and the cache skips building masks when it can.
        var (positions, mask) = attentionMask is null ? cache.BeginStep(time) : cache.BeginStep(attentionMask);   // (B, T), (B, 1, T, L+T) or null
        try
        {
            var hidden = DecodeHidden(embeddings, positions, mask, cache);                 // (B, T, D)
            if (lastOnly && time > 1) hidden = hidden.narrow(1, time - 1, 1);              // (B, 1, D)
            var logits = Head(hidden);                                                     // (B, T or 1, V)
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
}
