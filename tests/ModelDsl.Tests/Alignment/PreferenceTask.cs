using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Models;
using ModelDsl.Tests.Training.Support;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Alignment;

/// <summary>
/// A generated preference task. The prompt is a sentence and a question, "the cat sees the sun. what:"; the rule prefers
/// the answer that names the object (" sun") over one naming the subject (" cat"). The 64 sentences are split into
/// 48 for training and 16 held out.
/// </summary>
internal static class PreferenceTask
{
    static readonly string[] Subjects = ["cat", "dog", "bird", "fox"];
    static readonly string[] Verbs = ["sees", "likes", "hears", "finds"];
    static readonly string[] Objects = ["sun", "tree", "moon", "hat"];

    public record Item(string Prompt, string Object, string Subject);

    static IEnumerable<Item> All() =>
        from s in Subjects from v in Verbs from o in Objects
        select new Item($"the {s} {v} the {o}. what:", o, s);

    public static (Item[] Train, Item[] HeldOut) Split()
    {
        var random = new Random(4);
        var shuffled = All().OrderBy(_ => random.Next()).ToArray();
        return (shuffled[16..], shuffled[..16]);
    }

    /// <summary>The task's rule: the answer names the sentence's object.</summary>
    public static bool FollowsRule(Item item, string answer) => answer.Trim() == item.Object;

    /// <summary>Supervised data in which three answers in eight follow the rule, so the SFT model mostly breaks it.</summary>
    public static Dataset Sft(Item[] items, int copies) => new(Enumerable.Range(0, copies).SelectMany(c =>
        items.Select((item, i) => new PromptCompletionExample(item.Prompt, " " + ((i + c) % 8 < 3 ? item.Object : item.Subject)))));

    public static TokenizedPreferences Pairs(Item[] items) =>
        new PreferenceDataset(items.Select(i => new TextPreference(i.Prompt, " " + i.Object, " " + i.Subject)))
            .Tokenize(ToyCorpus.Tokenizer, new() { EosTokenId = CharTokenizer.Eos, PadTokenId = CharTokenizer.Pad });

    /// <summary>Greedy decoding until the end token (at most 8 tokens).</summary>
    public static string Answer(ICausalLanguageModel model, string prompt)
    {
        using var _ = no_grad();
        var ids = ToyCorpus.Tokenizer.EncodeToIds(prompt).Select(i => (long)i).ToList();
        var answer = new List<int>();
        for (var t = 0; t < 8; t++)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(tensor(ids.ToArray(), [1, ids.Count]));
            var next = (int)logits[0, -1].argmax().item<long>();
            if (next == CharTokenizer.Eos) break;
            answer.Add(next);
            ids.Add(next);
        }
        return ToyCorpus.Tokenizer.Decode(answer);
    }
}
