using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Generation;

/// <summary>
/// The tensor state of one batched decode: left-padded prompts, then one new token per row per <see cref="Next"/>.
/// With a key/value cache the prompt is run once and each step feeds only the last token; without one the whole
/// sequence is recomputed. Each step runs under <c>no_grad</c> in its own dispose scope; the session owns the few
/// tensors that live across steps and frees them on dispose.
/// </summary>
internal sealed class DecodingSession : IDisposable
{
    readonly ICausalLanguageModel _model;
    readonly IIncrementalDecoder? _decoder;
    readonly KeyValueCache? _cache;
    readonly GenerationOptions _options;
    readonly Generator _generator;
    Tensor _ids;     // cached: tokens not yet fed (B, T); uncached: the whole sequence (B, P + steps)
    Tensor? _mask;   // padding mask matching _ids; cached, null when those tokens are all real (no padding)

    /// <summary>Rows in the batch.</summary>
    public int Batch { get; }

    /// <summary>Tokens this session may generate per row (the largest budget of its rows; the padded width plus it fits the context).</summary>
    public int MaxNewTokens { get; }

    /// <summary>Tokens generated per row so far.</summary>
    public int Steps { get; private set; }

    /// <summary>Starts a decode of <paramref name="prompts"/> (already checked to fit) for up to <paramref name="maxNewTokens"/> steps.</summary>
    public DecodingSession(ICausalLanguageModel model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, int padTokenId, int maxNewTokens)
    {
        _model = model;
        _options = options;
        Batch = prompts.Count;
        var device = PromptBatch.DeviceOf(model);
        (_ids, _mask) = PromptBatch.LeftPad(prompts, padTokenId, device);   // (B, P) each
        var promptWidth = _ids.shape[1];
        var padded = prompts.Any(p => p.Count != promptWidth);
        if (promptWidth + maxNewTokens > model.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(maxNewTokens), $"{promptWidth} prompt positions and {maxNewTokens} new tokens exceed the context of {model.ContextLength}.");
        MaxNewTokens = maxNewTokens;
        _generator = new Generator(options.Seed ?? (ulong)Random.Shared.NextInt64(), device);
        if (options.UseCache && model is IIncrementalDecoder { SupportsKeyValueCache: true } decoder)
        {
            _decoder = decoder;
            _cache = decoder.CreateCache(Batch, promptWidth + MaxNewTokens);
            // Without padding the cache builds no attention masks at all (one op per step instead of a dozen).
            if (!padded) Replace(_ids, null);
        }
    }

    /// <summary>Whether the session decodes incrementally.</summary>
    public bool UsesCache => _cache is not null;

    /// <summary>Runs one step and returns the next token of every row; <paramref name="processor"/> sees the logits before the pick.</summary>
    public int[] Next(ILogitsProcessor? processor = null)
    {
        if (Steps >= MaxNewTokens)
            throw new InvalidOperationException($"The session already generated its {MaxNewTokens} tokens.");
        using var grad = no_grad();
        using var scope = NewDisposeScope();
        var logits = _cache is not null
            ? _decoder!.ForwardEmbeddingsCachedLast(_model.EmbedTokens(_ids), _mask, _cache)   // (B, 1, V)
            : _model.Forward(_ids, _mask!);                                                 // (B, P + steps, V)
        var last = logits[TensorIndex.Colon, -1, TensorIndex.Colon];                        // (B, V)
        if (processor is not null) last = processor.Process(last, Steps);                   // (B, V)
        var next = TokenSampler.Pick(last, _options, _generator).to_type(ScalarType.Int64); // (B)
        var column = next.unsqueeze(1);                                                     // (B, 1)
        var (ids, mask) = _cache is not null
            ? (column, null)                                                                // the new tokens are real
            : (cat([_ids, column], 1), cat([_mask!, ones_like(column)], 1));                 // (B, P + steps + 1) each
        Replace(ids.DetachFromDisposeScope(), mask?.DetachFromDisposeScope());
        Steps++;
        var values = next.cpu().data<long>().ToArray();
        return Array.ConvertAll(values, v => (int)v);
    }

    void Replace(Tensor ids, Tensor? mask)
    {
        if (!ReferenceEquals(ids, _ids)) _ids.Dispose();
        _mask?.Dispose();
        (_ids, _mask) = (ids, mask);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _ids.Dispose();
        _mask?.Dispose();
        _cache?.Dispose();
        _generator.Dispose();
    }
}
