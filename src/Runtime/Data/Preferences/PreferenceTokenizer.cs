using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.Chat;
using ModelDsl.Tokenization;

namespace ModelDsl.Data;

/// <summary>Turns preference examples into <see cref="PreferencePair"/>s: prompt and answer tokenized apart, only the answer scored.</summary>
static class PreferenceTokenizer
{
    public static TokenizedPreferences Tokenize(IReadOnlyList<PreferenceExample> examples, Tokenizer tokenizer, PreferenceTokenizationOptions options)
    {
        if (options.MaxLength is < 2)
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxLength must be at least 2 (one prompt token and one answer token), got {options.MaxLength}.");
        var truncated = 0;
        var pairs = new List<PreferencePair>(examples.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            var (prompt, chosen, rejected) = Texts(examples[i], options, i);
            var promptIds = PromptIds(examples[i], prompt, tokenizer);
            var c = Sequence(promptIds, tokenizer.EncodeText(chosen), options, out var cutChosen);
            var r = Sequence(promptIds, tokenizer.EncodeText(rejected), options, out var cutRejected);
            if (cutChosen || cutRejected) truncated++;
            if (c.TargetCount == 0 || r.TargetCount == 0)
                throw new ArgumentException($"Preference example {i}: an answer tokenizes to nothing that can be scored (MaxLength {options.MaxLength}); raise MaxLength or drop the example.", nameof(examples));
            pairs.Add(new PreferencePair(c, r));
        }
        return new TokenizedPreferences(pairs, options.PadTokenId, truncated);
    }

    static int[] PromptIds(PreferenceExample example, string prompt, Tokenizer tokenizer) =>
        example is TextPreference ? TextPromptIds(tokenizer, prompt) : [.. tokenizer.EncodeText(prompt)];

    /// <summary>
    /// A text prompt's ids. Special tokens come once per sequence: the prompt starts with the tokenizer's BOS when it adds
    /// one (as TRL's DPO tokenization does), a rendered chat template writes its own, and answers get none.
    /// </summary>
    public static int[] TextPromptIds(Tokenizer tokenizer, string prompt)
    {
        var ids = tokenizer.EncodeText(prompt);
        var specials = SpecialTokens.Of(tokenizer);
        return specials.AddsBos && specials.BosId is int bos && (ids.Count == 0 || ids[0] != bos) ? [bos, .. ids] : [.. ids];
    }

    /// <summary>Prompt + answer (+ <paramref name="eosTokenId"/>) as one sequence, tokenized as a <see cref="TextPreference"/>'s are.</summary>
    public static int[] TextSequence(Tokenizer tokenizer, string prompt, string answer, int? eosTokenId) =>
        [.. TextPromptIds(tokenizer, prompt), .. tokenizer.EncodeText(answer), .. eosTokenId is int eos ? [eos] : Array.Empty<int>()];

    static (string Prompt, string Chosen, string Rejected) Texts(PreferenceExample example, PreferenceTokenizationOptions options, int index) => example switch
    {
        TextPreference t => (t.Prompt, t.Chosen, t.Rejected),
        ChatPreference c => Render(c, options.ChatTemplate ?? throw new ArgumentException(
            $"Preference example {index} is a conversation, and PreferenceTokenizationOptions.ChatTemplate is not set; pass the model's chat template (ChatTemplate.FromTokenizerConfig).", nameof(options)), index),
        _ => throw new ArgumentException($"Unknown preference example type {example.GetType().Name}.", nameof(example)),
    };

    // The prompt is the conversation with the generation prompt; an answer is what appending it as an assistant turn adds.
    static (string, string, string) Render(ChatPreference example, Chat.ChatTemplate template, int index)
    {
        var turns = example.Conversation.Select(m => new ChatTurn(m.Role, m.Content)).ToList();
        var prompt = template.Render(turns, addGenerationPrompt: true);
        string Answer(string content, string which)
        {
            var full = template.Render([.. turns, ChatTurn.Assistant(content)], addGenerationPrompt: false);
            if (!full.StartsWith(prompt, StringComparison.Ordinal))
                throw new ChatTemplateException(ChatTemplateErrorKind.NotPrefixStable,
                    $"Preference example {index}: the chat template renders the conversation differently once the {which} answer is appended, "
                    + "so the answer cannot be separated from the prompt; use a template whose rendering of earlier turns does not depend on later ones.");
            return full[prompt.Length..];
        }
        return (prompt, Answer(example.Chosen, "chosen"), Answer(example.Rejected, "rejected"));
    }

    static TokenizedSequence Sequence(int[] prompt, IEnumerable<int> answer, PreferenceTokenizationOptions options, out bool cut)
    {
        var answerIds = answer.ToList();
        if (options.EosTokenId is int eos) answerIds.Add(eos);
        var ids = prompt.Concat(answerIds).ToArray();
        var labels = Enumerable.Repeat(TokenizedSequence.Ignore, prompt.Length).Concat(answerIds).ToArray();
        cut = options.MaxLength is int max && ids.Length > max;
        if (cut)
        {
            var start = ids.Length - options.MaxLength!.Value;   // keep the end: the prompt's start goes first
            ids = ids[start..];
            labels = labels[start..];
        }
        return new TokenizedSequence(ids, labels);
    }
}
