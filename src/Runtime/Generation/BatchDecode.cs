using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.Tokenizers;
using ModelDsl.Generation.Structured;
using ModelDsl.Models;

namespace ModelDsl.Generation;

/// <summary>
/// Decodes rows that share how tokens are picked (temperature, top-k/p, seed, cache, constraint, end-of-sequence
/// token) but may differ in their stop sequences and token budgets. Rows are split into <see cref="DecodeGroups"/>, so
/// each row's result is what it would get alone. A row can be abandoned mid-decode (its caller cancelled): it stops
/// counting towards the group's end and gets no result.
/// </summary>
internal static class BatchDecode
{
    /// <summary>One prompt to continue, with the options whose stop sequences and budget apply to it.</summary>
    public sealed record Row(IReadOnlyList<int> Prompt, GenerationOptions Options, int Budget);

    /// <summary>
    /// The result of every row (null for an abandoned row). <paramref name="shared"/> gives the picking options;
    /// <paramref name="abandoned"/> is asked between steps.
    /// </summary>
    public static GeneratedText?[] Run(ICausalLanguageModel model, Tokenizer tokenizer, int padTokenId, IReadOnlyList<Row> rows,
        GenerationOptions shared, Func<int, bool>? abandoned = null, CancellationToken cancellationToken = default)
    {
        abandoned ??= _ => false;
        var prompts = rows.Select(r => r.Prompt).ToArray();
        var budgets = rows.Select(r => r.Budget).ToArray();
        var results = new GeneratedText?[rows.Count];
        using var mode = EvalMode.Enter(model);
        foreach (var group in DecodeGroups.Plan(prompts, budgets, model.ContextLength))
        {
            var groupBudgets = group.Select(i => budgets[i]).ToArray();
            using var session = new DecodingSession(model, group.Select(i => prompts[i]).ToArray(), shared, padTokenId, groupBudgets.Max());
            var structured = StructuredDecoding.Start(shared, tokenizer, (int)model.VocabularySize, groupBudgets);
            var states = group.Select(i => new SequenceState(tokenizer, rows[i].Options)).ToArray();
            bool Live(int b) => states[b].Finish is null && !abandoned(group[b]);
            while (session.Steps < session.MaxNewTokens && Enumerable.Range(0, states.Length).Any(Live))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var next = session.Next(structured);
                for (var b = 0; b < states.Length; b++)
                {
                    Accept(states[b], b, next[b], structured);
                    if (session.Steps == groupBudgets[b]) states[b].End(EndReason(groupBudgets[b], rows[group[b]].Options));
                }
            }
            for (var b = 0; b < states.Length; b++)
                if (!abandoned(group[b])) results[group[b]] = states[b].ToResult(prompts[group[b]].Count);
        }
        return results;
    }

    /// <summary>Gives row <paramref name="index"/> its next token; returns whether the row has ended.</summary>
    public static bool Accept(SequenceState row, int index, int token, StructuredDecoding? structured)
    {
        if (row.Finish is not null) return true;
        var ended = row.Accept(token);
        if (structured?.Advance(index, token) == true) row.End(FinishReason.ValueComplete);
        return ended || row.Finish is not null;
    }

    /// <summary>A row that used its whole budget stopped at MaxNewTokens, or earlier because the context window was full.</summary>
    public static FinishReason EndReason(int budget, GenerationOptions options) =>
        budget < options.MaxNewTokens ? FinishReason.ContextFull : FinishReason.Length;
}
