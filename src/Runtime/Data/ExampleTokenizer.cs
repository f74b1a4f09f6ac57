using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Data;

/// <summary>Turns examples into <see cref="TokenizedSequence"/>s: targets labelled, context masked, truncated or packed.</summary>
static class ExampleTokenizer
{
    public static (List<TokenizedSequence> Sequences, int Dropped) Tokenize(
        IEnumerable<Example> examples, Tokenizer tokenizer, TokenizationOptions options)
    {
        if (options.MaxLength < 2)
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxLength must be at least 2 (one input and one target), got {options.MaxLength}.");
        var whole = examples.Select(e => Encode(e, tokenizer, options)).ToList();
        var sequences = options.Pack ? Pack(whole, options.MaxLength) : whole.Select(s => Truncate(s, options.MaxLength)).ToList();
        // A sequence with nothing to predict would add 0/0 to the loss.
        var kept = sequences.Where(s => s.TargetCount > 0).ToList();
        return (kept, sequences.Count - kept.Count);
    }

    static TokenizedSequence Encode(Example example, Tokenizer tokenizer, TokenizationOptions options)
    {
        var pieces = example switch
        {
            TextExample t => [(t.Text, true)],
            PromptCompletionExample p => [(p.Prompt, false), (p.Completion, true)],
            ChatExample c => options.ChatTemplate.Render(c.Messages),
            _ => throw new ArgumentException($"Unknown example type {example.GetType().Name}.", nameof(example)),
        };
        var ids = new List<int>();
        var labels = new List<int>();
        foreach (var (text, isTarget) in pieces)
        {
            if (text.Length == 0) continue;
            foreach (var id in tokenizer.EncodeToIds(text))
            {
                ids.Add(id);
                labels.Add(isTarget ? id : TokenizedSequence.Ignore);
            }
        }
        if (options.EosTokenId is int eos)
        {
            ids.Add(eos);
            labels.Add(eos);
        }
        return new TokenizedSequence(ids.ToArray(), labels.ToArray());
    }

    static TokenizedSequence Truncate(TokenizedSequence s, int max) =>
        s.Length <= max ? s : new TokenizedSequence(s.Ids[..max], s.Labels[..max]);

    static List<TokenizedSequence> Pack(List<TokenizedSequence> sequences, int max)
    {
        var ids = sequences.SelectMany(s => s.Ids).ToArray();
        var labels = sequences.SelectMany(s => s.Labels).ToArray();
        var packed = new List<TokenizedSequence>();
        for (var start = 0; start < ids.Length; start += max)
        {
            var end = Math.Min(start + max, ids.Length);
            packed.Add(new TokenizedSequence(ids[start..end], labels[start..end]));
        }
        return packed;
    }
}
