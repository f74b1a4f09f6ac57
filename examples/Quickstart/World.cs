using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;

namespace Quickstart;

/// <summary>How a story ends for its hero (the downstream task's label).</summary>
public enum Feeling { happy, sad }

/// <summary>The last thing a story's hero handled (the second task's label).</summary>
public enum Item { coin, kite, book, ring, hat, map }

/// <summary>One story of the world with its two labels.</summary>
public sealed record Story(string Text, Feeling Feeling, Item Item);

/// <summary>
/// A procedural world, the same for the same seed: people who live somewhere and own a pet, and short stories in
/// which they gain or lose things. The world's rule: how a hero feels at the end depends on the *last* event only
/// ("lost a coin . then found a kite" ends happy). Pretraining text states the feeling as "mia was happy ."; the
/// downstream task asks for it in a format pretraining never shows.
/// </summary>
public sealed class World
{
    static readonly string[] Names = ["mia", "tom", "ana", "leo", "eva", "sam", "ivy", "max", "zoe", "ben", "lia", "dan", "kim", "joe", "amy", "rex"];
    static readonly string[] Cities = ["oslo", "rome", "lima", "kyiv", "doha", "riga"];
    static readonly string[] Pets = ["cat", "dog", "fox", "owl", "frog", "goat"];
    static readonly string[] GoodVerbs = ["found", "won", "got", "made"];
    static readonly string[] BadVerbs = ["lost", "broke", "dropped", "burned"];

    readonly Dictionary<string, (string City, string Pet)> _people;

    public World(int seed)
    {
        var random = new Random(seed);
        _people = Names.ToDictionary(n => n, _ => (Cities[random.Next(Cities.Length)], Pets[random.Next(Pets.Length)]));
    }

    /// <summary>The template the task uses; "Feeling" is never a field in pretraining.</summary>
    public const string FeelingTemplate = "{story}\nFeeling:";

    /// <summary><paramref name="count"/> stories drawn with <paramref name="seed"/>.</summary>
    public IReadOnlyList<Story> Stories(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Story(random)).ToList();
    }

    /// <summary>
    /// Pretraining documents: mostly a fact or two about a hero, then a story and how it ended; every second is a
    /// register of records under a field name chosen at random ("rex lost a hat .\nNote: oslo"), which teaches the model to
    /// read what a field holds from the records before it: the skill few-shot prompting relies on.
    /// </summary>
    public IReadOnlyList<string> Documents(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => i % 2 == 1 ? Register(random) : Document(random)).ToList();
    }

    // Records under a field name drawn at random for the document ("rex lost a hat .\nNote: oslo"), so only the
    // earlier records tell what the field holds: a city, a pet, an item or a feeling. "Feeling" is never a field name.
    string Register(Random random)
    {
        var key = FieldNames[random.Next(FieldNames.Length)];
        var kind = random.Next(4);
        var blocks = Enumerable.Range(0, 3 + random.Next(4)).Select(_ =>
        {
            var story = Story(random);
            var name = story.Text.Split(' ')[0];
            var (city, pet) = _people[name];
            var value = kind switch { 0 => city, 1 => pet, 2 => story.Item.ToString(), _ => story.Feeling.ToString() };
            return $"{story.Text}\n{key}: {value}";
        });
        return string.Join("\n\n", blocks);
    }

    static readonly string[] FieldNames = ["Note", "Tag", "Label", "Answer", "Info", "Key", "Value", "Result"];

    /// <summary>The labelled task as prompt/completion pairs (only the label is trained).</summary>
    public static Dataset FeelingTask(IEnumerable<Story> stories) =>
        new(stories.Select(s => new PromptCompletionExample(FeelingTemplate.Replace("{story}", s.Text), " " + s.Feeling)));

    /// <summary>The second task: which item the hero handled last.</summary>
    public const string ItemTemplate = "{story}\nItem:";

    /// <summary>The second task as prompt/completion pairs.</summary>
    public static Dataset ItemTask(IEnumerable<Story> stories) =>
        new(stories.Select(s => new PromptCompletionExample(ItemTemplate.Replace("{story}", s.Text), " " + s.Item)));

    /// <summary>Every text the tokenizer must know: documents and both task formats (labels included).</summary>
    public IEnumerable<string> Lexicon()
    {
        foreach (var name in Names) yield return $"{name} lives in {string.Join(" ", Cities)} . {name} has a {string.Join(" ", Pets)} .";
        yield return Document(new Random(0));
        yield return string.Join(" ", GoodVerbs.Concat(BadVerbs).Concat(Enum.GetNames<Item>()).Concat(Enum.GetNames<Feeling>()));
        yield return FeelingTemplate.Replace("{story}", "") + ItemTemplate.Replace("{story}", "") + " then a was . " + string.Join(" ", FieldNames) + ": :\n\n";
    }

    Story Story(Random random)
    {
        var name = Names[random.Next(Names.Length)];
        var events = 1;
        var parts = new List<string>();
        var good = false;
        var item = Item.coin;
        for (var i = 0; i < events; i++)
        {
            good = random.Next(2) == 0;
            var verbs = good ? GoodVerbs : BadVerbs;
            item = (Item)random.Next(Enum.GetValues<Item>().Length);
            parts.Add($"{(i == 0 ? "" : "then ")}{name} {verbs[random.Next(verbs.Length)]} a {item} .");
        }
        return new Story(string.Join(" ", parts), good ? Feeling.happy : Feeling.sad, item);
    }

    string Document(Random random)
    {
        var story = Story(random);
        var name = story.Text.Split(' ')[0];
        var (city, pet) = _people[name];
        var facts = new List<string> { $"{name} lives in {city} .", $"{name} has a {pet} ." };
        if (random.Next(2) == 0) facts.Reverse();
        return $"{string.Join(" ", facts.Take(1 + random.Next(2)))} {story.Text} {name} was {story.Feeling} .";
    }
}
