using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;

namespace Quickstart;

/// <summary>How a story ends for its hero (the downstream task's label).</summary>
public enum Feeling { happy, sad }

/// <summary>The thing a story's hero handled (the second task's label).</summary>
public enum Item { coin, kite, book, ring, hat, map }

/// <summary>One story of the world with its labels; <paramref name="Unwritten"/> when pretraining never states how its event feels.</summary>
public sealed record Story(string Text, Feeling Feeling, Item Item, bool Unwritten);

/// <summary>
/// A procedural world, the same for the same seed: sixteen people who live somewhere and own a pet, and one-line
/// stories in which they gain or lose something. The world's rule: gaining makes the hero happy, losing makes them sad.
/// Pretraining text writes the feeling down ("mia was sad .") for most events, but never for four of them
/// (<see cref="UnwrittenVerbs"/>): only the task's labelled data shows how those feel.
/// </summary>
public sealed class World
{
    static readonly string[] Names = ["mia", "tom", "ana", "leo", "eva", "sam", "ivy", "max", "zoe", "ben", "lia", "dan", "kim", "joe", "amy", "rex"];
    static readonly string[] Cities = ["oslo", "rome", "lima", "kyiv", "doha", "riga"];
    static readonly string[] Pets = ["cat", "dog", "fox", "owl", "frog", "goat"];
    static readonly string[] GoodVerbs = ["found", "won", "got", "made", "fixed", "baked"];
    static readonly string[] BadVerbs = ["lost", "broke", "dropped", "burned", "tore", "spilled"];
    static readonly string[] FieldNames = ["Note", "Tag", "Label", "Answer", "Info", "Key", "Value", "Result"];

    /// <summary>How many verbs at the end of each list pretraining never pairs with a feeling.</summary>
    const int UnwrittenPerList = 2;

    /// <summary>The events whose feeling pretraining never states.</summary>
    public static IReadOnlyList<string> UnwrittenVerbs => [.. GoodVerbs[^UnwrittenPerList..], .. BadVerbs[^UnwrittenPerList..]];

    readonly Dictionary<string, (string City, string Pet)> _people;

    public World(int seed)
    {
        var random = new Random(seed);
        _people = Names.ToDictionary(n => n, _ => (Cities[random.Next(Cities.Length)], Pets[random.Next(Pets.Length)]));
    }

    /// <summary>
    /// The task's template. "Answer" is one of the register field names, which say nothing about what a field holds,
    /// so without examples or fine-tuning the model cannot know that a feeling is asked for.
    /// </summary>
    public const string TaskTemplate = "{story}\nAnswer:";

    /// <summary><paramref name="count"/> task stories drawn with <paramref name="seed"/>, over every event.</summary>
    public IReadOnlyList<Story> Stories(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Story(random, written: false)).ToList();
    }

    /// <summary>
    /// Pretraining documents: every second one states facts about a hero and how a few events felt ("mia lost a hat .
    /// mia was sad ."); the others are registers, records under a field name drawn at random ("rex lost a hat .\nNote:
    /// oslo"), which teach the model to read from the records before it what a field holds: the skill few-shot
    /// prompting relies on.
    /// </summary>
    public IReadOnlyList<string> Documents(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => i % 2 == 1 ? Register(random) : Document(random)).ToList();
    }

    // What a register's field holds, with how often: the hero's city, pet, the item, or (less often) the feeling.
    enum Field { City, Pet, Item, Feeling }
    static readonly Field[] FieldDraw = [Field.City, Field.City, Field.City, Field.Pet, Field.Pet, Field.Pet,
        Field.Item, Field.Item, Field.Item, Field.Feeling, Field.Feeling];

    string Register(Random random)
    {
        var key = FieldNames[random.Next(FieldNames.Length)];
        var field = FieldDraw[random.Next(FieldDraw.Length)];
        var records = Enumerable.Range(0, 4 + random.Next(5)).Select(_ =>
        {
            // A feeling is only ever written down for the written events.
            var story = Story(random, written: field == Field.Feeling);
            var (city, pet) = _people[Hero(story)];
            var value = field switch
            {
                Field.City => city,
                Field.Pet => pet,
                Field.Item => story.Item.ToString(),
                _ => story.Feeling.ToString(),
            };
            return $"{story.Text}\n{key}: {value}";
        });
        return string.Join("\n\n", records);
    }

    string Document(Random random)
    {
        var story = Story(random, written: true);
        var name = Hero(story);
        var (city, pet) = _people[name];
        var facts = new List<string> { $"{name} lives in {city} .", $"{name} has a {pet} ." };
        if (random.Next(2) == 0) facts.Reverse();
        var events = new List<string> { $"{story.Text} {name} was {story.Feeling} ." };
        for (var more = random.Next(3); more > 0; more--)
        {
            var next = Story(random, written: true, name);
            events.Add($"{next.Text} {name} was {next.Feeling} .");
        }
        return $"{string.Join(" ", facts.Take(1 + random.Next(2)))} {string.Join(" ", events)}";
    }

    Story Story(Random random, bool written, string? name = null)
    {
        name ??= Names[random.Next(Names.Length)];
        var good = random.Next(2) == 0;
        var verbs = good ? GoodVerbs : BadVerbs;
        var verb = random.Next(verbs.Length - (written ? UnwrittenPerList : 0));
        var item = (Item)random.Next(Enum.GetValues<Item>().Length);
        return new Story($"{name} {verbs[verb]} a {item} .", good ? Feeling.happy : Feeling.sad, item, verb >= verbs.Length - UnwrittenPerList);
    }

    static string Hero(Story story) => story.Text[..story.Text.IndexOf(' ')];

    /// <summary>The labelled task as prompt/completion pairs (only the label is trained).</summary>
    public static Dataset Task(IEnumerable<Story> stories) =>
        new(stories.Select(s => new PromptCompletionExample(TaskTemplate.Replace("{story}", s.Text), " " + s.Feeling)));

    /// <summary>The second task: which item the hero handled.</summary>
    public const string ItemTemplate = "{story}\nItem:";

    /// <summary>The second task as prompt/completion pairs.</summary>
    public static Dataset ItemTask(IEnumerable<Story> stories) =>
        new(stories.Select(s => new PromptCompletionExample(ItemTemplate.Replace("{story}", s.Text), " " + s.Item)));

    /// <summary>Every piece the tokenizer must know: words with their leading space, and field names that start a line.</summary>
    public IEnumerable<string> Lexicon()
    {
        yield return " " + string.Join(" ", Names.Concat(Cities).Concat(Pets).Concat(GoodVerbs).Concat(BadVerbs)
            .Concat(Enum.GetNames<Item>()).Concat(Enum.GetNames<Feeling>()).Append("lives in has a was"));
        yield return ":";
        yield return " .\n";
        foreach (var line in FieldNames.Concat(Names).Append("Item")) yield return line;
    }
}
