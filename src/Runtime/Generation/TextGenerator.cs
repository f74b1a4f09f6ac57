using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Tokenizers;
using ModelDsl.Generation.Structured;
using ModelDsl.Models;
using ModelDsl.Tokenization;

namespace ModelDsl.Generation;

/// <summary>
/// Generates text with any <see cref="ICausalLanguageModel"/> and a tokenizer: greedy or sampled decoding, stop
/// sequences, batches of prompts of different lengths (left-padded), streaming and cancellation. Uses the model's
/// key/value cache when it implements <see cref="IIncrementalDecoder"/>. The model is put in evaluation mode for the
/// call and run without gradients; overlapping calls on one model share evaluation mode, and the last to finish
/// restores training mode. Every prompt gets the token budget it would get alone. Safe to call from many threads:
/// <see cref="Generate(string, GenerationOptions?, CancellationToken)"/> and its async forms go through the model's one
/// request queue, which decodes waiting requests from all callers together in batches.
/// </summary>
public sealed partial class TextGenerator
{
    /// <summary>The model generating.</summary>
    public ICausalLanguageModel Model { get; }

    /// <summary>The tokenizer encoding prompts and decoding output.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>Token id placed before shorter prompts of a batch (masked out, so its value does not matter).</summary>
    public int PadTokenId { get; }

    /// <summary>Creates a generator over <paramref name="model"/> and <paramref name="tokenizer"/>.</summary>
    public TextGenerator(ICausalLanguageModel model, Tokenizer tokenizer, int padTokenId = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (padTokenId < 0 || padTokenId >= model.VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(padTokenId), $"The pad token id {padTokenId} is outside the vocabulary of {model.VocabularySize}.");
        Model = model;
        Tokenizer = tokenizer;
        PadTokenId = padTokenId;
    }

    /// <summary>Sets how the request queue of <paramref name="model"/> batches the requests of all its callers.</summary>
    public static void ConfigureBatching(ICausalLanguageModel model, BatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        RequestQueue.For(model).Batching = options;
    }


    /// <summary>
    /// Token ids of <paramref name="text"/> as a prompt: the tokenizer's BOS once when its sequences start with one
    /// (<see cref="ModelDsl.Tokenization.TokenizerExtensions.EncodePrompt(Microsoft.ML.Tokenizers.Tokenizer, string)"/>), never EOS.
    /// </summary>
    public IReadOnlyList<int> Encode(string text) => Tokenizer.EncodePrompt(text);

    /// <summary>Number of tokens <paramref name="text"/> takes as a prompt (<see cref="Encode"/>'s count).</summary>
    public int CountTokens(string text) => Encode(text).Count;

    /// <summary>Continues <paramref name="prompt"/>.</summary>
    /// <exception cref="PromptTooLongException">The prompt leaves no room in the context window.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public GeneratedText Generate(string prompt, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Generate([prompt], options, cancellationToken)[0];

    /// <summary>Continues every prompt of <paramref name="prompts"/> in one batch; each result is what the prompt would get alone.</summary>
    /// <exception cref="PromptTooLongException">A prompt leaves no room in the context window.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return GenerateTokens(prompts.Select(Encode).ToArray(), options, cancellationToken);
    }

    /// <summary>Continues prompts given as token ids.</summary>
    /// <exception cref="PromptTooLongException">A prompt leaves no room in the context window.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<GeneratedText> GenerateTokens(IReadOnlyList<IReadOnlyList<int>> promptIds, GenerationOptions? options = null,
        CancellationToken cancellationToken = default) =>
        GenerateTokensAsync(promptIds, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Continues <paramref name="prompt"/> without blocking the caller: the request joins the model's queue.</summary>
    /// <exception cref="PromptTooLongException">The prompt leaves no room in the context window.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<GeneratedText> GenerateAsync(string prompt, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        (await GenerateTokensAsync([Encode(prompt)], options, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Continues every prompt of <paramref name="prompts"/>; each result is what the prompt would get alone.</summary>
    /// <exception cref="PromptTooLongException">A prompt leaves no room in the context window.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<IReadOnlyList<GeneratedText>> GenerateAsync(IReadOnlyList<string> prompts, GenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return GenerateTokensAsync(prompts.Select(Encode).ToArray(), options, cancellationToken);
    }

    /// <summary>
    /// Continues prompts given as token ids. The request is checked here, then joins the model's queue, where it is
    /// decoded together with other callers' requests that pick tokens the same way; each result is what the prompt
    /// would get alone.
    /// </summary>
    /// <exception cref="PromptTooLongException">A prompt leaves no room in the context window.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<GeneratedText>> GenerateTokensAsync(IReadOnlyList<IReadOnlyList<int>> promptIds, GenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        options ??= new GenerationOptions();
        options.Validate();
        PromptBatch.CheckFits(promptIds, reserved: 1, Model.ContextLength);
        TokenIdChecks.RequirePrompts(promptIds, options, Model);
        cancellationToken.ThrowIfCancellationRequested();
        var budgets = DecodeGroups.Budgets(promptIds, options.MaxNewTokens, Model.ContextLength);
        // A schema whose shortest value does not fit is this request's mistake: refuse it here, not in a shared batch.
        StructuredDecoding.Start(options, Tokenizer, (int)Model.VocabularySize, budgets);
        var rows = promptIds.Select((ids, i) => new BatchDecode.Row(ids.ToArray(), options, budgets[i])).ToArray();
        return await RequestQueue.For(Model).Submit(Tokenizer, PadTokenId, rows, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams the continuation of <paramref name="prompt"/> piece by piece as tokens are generated. Text that could
    /// be the start of a stop sequence is held back until it is known not to be one, so the pieces concatenate to
    /// <see cref="Generate(string, GenerationOptions?, CancellationToken)"/>'s text.
    /// </summary>
    /// <exception cref="PromptTooLongException">The prompt leaves no room in the context window.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<string> StreamAsync(string prompt, GenerationOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new GenerationOptions();
        options.Validate();
        IReadOnlyList<int>[] promptIds = [Encode(prompt)];
        PromptBatch.CheckFits(promptIds, reserved: 1, Model.ContextLength);
        TokenIdChecks.RequirePrompts(promptIds, options, Model);
        using var mode = EvalMode.Enter(Model);
        var budget = DecodeGroups.Budgets(promptIds, options.MaxNewTokens, Model.ContextLength)[0];
        using var session = new DecodingSession(Model, promptIds, options, PadTokenId, budget);
        var structured = StructuredDecoding.Start(options, Tokenizer, (int)Model.VocabularySize, [budget]);
        var row = new SequenceState(Tokenizer, options);
        var shown = 0;
        while (session.Steps < session.MaxNewTokens && row.Finish is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Each step is self-contained (its own no_grad and dispose scope), so the loop may resume on another thread.
            await Task.Yield();
            var ended = BatchDecode.Accept(row, 0, session.Next(structured)[0], structured);
            var visible = ended ? row.Text.Length : StopSequences.SafeLength(row.Text, options.StopSequences);
            if (visible > shown)
            {
                yield return row.Text[shown..visible];
                shown = visible;
            }
        }
        if (row.Text.Length > shown) yield return row.Text[shown..];
    }
}
