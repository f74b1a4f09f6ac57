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
/// restores training mode. Every prompt gets the token budget it would get alone.
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
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        options ??= new GenerationOptions();
        options.Validate();
        PromptBatch.CheckFits(promptIds, reserved: 1, Model.ContextLength);
        TokenIdChecks.RequirePrompts(promptIds, options, Model);
        cancellationToken.ThrowIfCancellationRequested();
        using var mode = EvalMode.Enter(Model);
        var budgets = DecodeGroups.Budgets(promptIds, options.MaxNewTokens, Model.ContextLength);
        var results = new GeneratedText[promptIds.Count];
        foreach (var group in DecodeGroups.Plan(promptIds, budgets, Model.ContextLength))
        {
            var prompts = group.Select(i => promptIds[i]).ToArray();
            var groupBudgets = group.Select(i => budgets[i]).ToArray();
            using var session = new DecodingSession(Model, prompts, options, PadTokenId, groupBudgets.Max());
            var structured = StructuredDecoding.Start(options, Tokenizer, (int)Model.VocabularySize, groupBudgets);
            var rows = group.Select(_ => new SequenceState(Tokenizer, options)).ToArray();
            while (session.Steps < session.MaxNewTokens && rows.Any(r => r.Finish is null))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var next = session.Next(structured);
                for (var b = 0; b < rows.Length; b++)
                {
                    Accept(rows[b], b, next[b], structured);
                    if (session.Steps == groupBudgets[b]) rows[b].End(EndReason(groupBudgets[b], options));
                }
            }
            for (var b = 0; b < rows.Length; b++) results[group[b]] = rows[b].ToResult(prompts[b].Count);
        }
        return results;
    }

    // A row that used its whole budget stopped at MaxNewTokens, or earlier because the context window was full.
    static FinishReason EndReason(int budget, GenerationOptions options) =>
        budget < options.MaxNewTokens ? FinishReason.ContextFull : FinishReason.Length;

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
            var ended = Accept(row, 0, session.Next(structured)[0], structured);
            var visible = ended ? row.Text.Length : StopSequences.SafeLength(row.Text, options.StopSequences);
            if (visible > shown)
            {
                yield return row.Text[shown..visible];
                shown = visible;
            }
        }
        if (row.Text.Length > shown) yield return row.Text[shown..];
    }

    /// <summary>Gives row <paramref name="index"/> its next token; returns whether the row has ended.</summary>
    static bool Accept(SequenceState row, int index, int token, StructuredDecoding? structured)
    {
        if (row.Finish is not null) return true;
        var ended = row.Accept(token);
        if (structured?.Advance(index, token) == true) row.End(FinishReason.ValueComplete);
        return ended || row.Finish is not null;
    }
}
