using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.Chat;
using ModelDsl.Tokenization;

namespace ModelDsl.Data;

/// <summary>Turns examples into <see cref="TokenizedSequence"/>s: targets labelled, context masked, truncated or packed.</summary>
static class ExampleTokenizer
{
    public static (List<TokenizedSequence> Sequences, int Dropped, int Truncated) Tokenize(
        IEnumerable<Example> examples, Tokenizer tokenizer, TokenizationOptions options)
    {
        if (options.MaxLength is < 2)
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxLength must be at least 2 (one input and one target), got {options.MaxLength}.");
        if (options.Pack && options.MaxLength is null)
            throw new ArgumentException("Packing cuts the token stream into sequences of MaxLength tokens; set TokenizationOptions.MaxLength (Trainer.Fit sets it to the model's context).", nameof(options));
        var specials = SpecialTokens.Of(tokenizer);
        var chatTemplate = ChatTemplate.For(tokenizer, options.ChatTemplate);
        var whole = examples.Select(e => Encode(e, tokenizer, specials, chatTemplate, options)).ToList();
        var truncated = 0;
        var sequences = options.Pack ? Pack(whole, options.MaxLength!.Value)
            : options.MaxLength is not int max ? whole
            : whole.Select(s =>
            {
                if (s.Length <= max) return s;
                truncated++;
                return Truncate(s, max);
            }).ToList();
        // A sequence with nothing to predict would add 0/0 to the loss.
        var kept = sequences.Where(s => s.TargetCount > 0).ToList();
        return (kept, sequences.Count - kept.Count, truncated);
    }

    // One sequence per example: BOS once at its start when the tokenizer's sequences start with one (a chat template
    // that writes it keeps its own), the pieces encoded without special tokens, and one end-of-sequence token (the
    // option's, else the tokenizer's when it appends one) unless the text already ends with it, as TRL checks. A
    // conversation in a template other than the simple fallback ends its turns itself and gets none.
    static TokenizedSequence Encode(Example example, Tokenizer tokenizer, SpecialTokens specials, ChatTemplate chatTemplate, TokenizationOptions options)
    {
        var ids = new List<int>();
        var labels = new List<int>();
        void Add(int id, bool isTarget)
        {
            ids.Add(id);
            labels.Add(isTarget ? id : TokenizedSequence.Ignore);
        }
        void AddText(string text, bool isTarget)
        {
            foreach (var id in tokenizer.EncodeText(text)) Add(id, isTarget);
        }
        var endsItself = false;
        switch (example)
        {
            case TextExample t:
                AddText(t.Text, true);
                break;
            case PromptCompletionExample p:
                AddText(p.Prompt, false);
                AddText(p.Completion, true);
                break;
            case ChatExample c:
                var turns = c.Messages.Select(m => new ChatTurn(m.Role, m.Content)).ToList();
                foreach (var (id, isTarget) in ChatTokens.Encode(chatTemplate.RenderWithAssistantSpans(turns), tokenizer)) Add(id, isTarget);
                endsItself = !ReferenceEquals(chatTemplate, ChatTemplate.Simple);
                break;
            default:
                throw new ArgumentException($"Unknown example type {example.GetType().Name}.", nameof(example));
        }
        if (specials.AddsBos && specials.BosId is int bos && (ids.Count == 0 || ids[0] != bos))
        {
            // Nothing predicts the first token, so its label is never used.
            ids.Insert(0, bos);
            labels.Insert(0, TokenizedSequence.Ignore);
        }
        var end = endsItself ? null : options.EosTokenId ?? (specials.AddsEos ? specials.EosIds[0] : null);
        if (end is int eos && (ids.Count == 0 || ids[^1] != eos)) Add(eos, true);
        return new TokenizedSequence(ids.ToArray(), labels.ToArray());
    }

    // The first max tokens, as truncation=True (right side) keeps them; an appended end-of-sequence token is cut with
    // the rest, as TRL's truncation of text that ends in one does.
    static TokenizedSequence Truncate(TokenizedSequence s, int max) => new(s.Ids[..max], s.Labels[..max]);

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
