using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelDsl.Data;

namespace Quickstart;

/// <summary>How a story ends for its hero (the downstream task's label).</summary>
public enum Feeling { happy, sad }

/// <summary>The thing a story's hero handled (the second task's label).</summary>
public enum Item { coin, kite, book, ring, hat, map }

/// <summary>The world's people (a story's hero).</summary>
public enum Person { mia, tom, ana, leo, eva, sam, ivy, max, zoe, ben, lia, dan, kim, joe, amy, rex }

/// <summary>One story of the world with its labels; <paramref name="Unwritten"/> when pretraining never states how its event feels.</summary>
public sealed record Story(string Text, Feeling Feeling, Item Item, bool Unwritten)
{
    /// <summary>Who the story is about ("mia" in "mia lost a hat .").</summary>
    public string Hero => Text[..Text.IndexOf(' ')];
}

/// <summary>The facts of a story (who, what they handled, how they felt), as the typed client's record answer returns them.</summary>
public sealed record StoryFacts(Person Hero, Item Item, Feeling Feeling);

/// <summary>
/// A procedural world, the same for the same seed: sixteen people who live somewhere and own a pet, and one-line
/// stories in which they gain or lose something. The world's rule: gaining makes the hero happy, losing makes them sad.
/// Pretraining text writes the feeling down ("mia was sad .") for most events, but never for four of them
/// (<see cref="UnwrittenVerbs"/>): only the task's labelled data shows how those feel.
/// </summary>
public sealed class World
{
    static readonly string[] Names = Enum.GetNames<Person>();
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
            var (city, pet) = _people[story.Hero];
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
        var name = story.Hero;
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

    /// <summary>The labelled task as prompt/completion pairs (only the label is trained).</summary>
    public static Dataset Task(IEnumerable<Story> stories) =>
        new(stories.Select(s => new PromptCompletionExample(TaskTemplate.Replace("{story}", s.Text), " " + s.Feeling)));

    /// <summary>The second task: which item the hero handled.</summary>
    public const string ItemTemplate = "{story}\nItem:";

    /// <summary>The second task as prompt/completion pairs.</summary>
    public static Dataset ItemTask(IEnumerable<Story> stories) =>
        new(stories.Select(s => new PromptCompletionExample(ItemTemplate.Replace("{story}", s.Text), " " + s.Item)));

    /// <summary>
    /// What the world's people prefer: an answer that names what was gained or lost as well as the feeling
    /// (" sad lost a hat ." rather than " sad"). DPO learns it after supervised fine-tuning.
    /// </summary>
    public static string PreferredAnswer(Story story) => Answer(story.Feeling, story.Item);

    static string Answer(Feeling feeling, Item item) => $" {feeling} {(feeling == Feeling.happy ? "got" : "lost")} a {item} .";

    /// <summary>The preference's rule, as a judge applies it: the answer gives the right feeling first and names the story's item.</summary>
    public static bool FollowsPreference(Story story, string answer)
    {
        var words = answer.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && words[0] == story.Feeling.ToString() && words.Skip(1).Contains(story.Item.ToString());
    }

    /// <summary>How many of the people's own answers name what was gained or lost: one in <c>PeopleNameItEvery</c>.</summary>
    public const int PeopleNameItEvery = 3;

    /// <summary>
    /// The task as the world's people answer it, for supervised fine-tuning before alignment: most give the bare feeling,
    /// one in <see cref="PeopleNameItEvery"/> also names what was gained or lost. Imitating them, a model mostly answers
    /// with the bare feeling, though it has seen the other answer; which of the two people prefer is what DPO then learns.
    /// </summary>
    public static Dataset PeopleAnswers(IReadOnlyList<Story> stories) =>
        new(stories.Select((s, i) => new PromptCompletionExample(TaskTemplate.Replace("{story}", s.Text),
            i % PeopleNameItEvery == 0 ? PreferredAnswer(s) : " " + s.Feeling)));

    /// <summary>
    /// Preference pairs over the task's prompts, two per story, built from the story alone. The answer that also names
    /// what was gained or lost is always chosen; one pair rejects the bare feeling (what the fine-tuned model says), the
    /// other, in turn, the same answer with another item or with the other feeling, so that what is learned is to name
    /// this story's item, not any item.
    /// </summary>
    public static PreferenceDataset Preferences(IReadOnlyList<Story> stories) =>
        new(stories.SelectMany((s, i) =>
        {
            var prompt = TaskTemplate.Replace("{story}", s.Text);
            var chosen = PreferredAnswer(s);
            var wrong = i % 2 == 0
                ? Answer(s.Feeling, (Item)(((int)s.Item + 1 + i % 5) % Enum.GetValues<Item>().Length))
                : Answer(s.Feeling == Feeling.happy ? Feeling.sad : Feeling.happy, s.Item);
            return new PreferenceExample[] { new TextPreference(prompt, chosen, " " + s.Feeling), new TextPreference(prompt, chosen, wrong) };
        }));

    /// <summary>The record task's template: the typed client's <c>Facts</c> answers it with a <see cref="StoryFacts"/>.</summary>
    public const string FactsTemplate = "{story}\nFacts:";

    /// <summary>The facts of <paramref name="story"/>, the record the client should return.</summary>
    public static StoryFacts Facts(Story story) => new(Enum.Parse<Person>(story.Hero), story.Item, story.Feeling);

    /// <summary>
    /// The record task as prompt/completion pairs: the completion is the facts as compact JSON with enums by name, the
    /// text the client's schema-constrained decoding writes.
    /// </summary>
    public static Dataset FactsTask(IEnumerable<Story> stories) =>
        new(stories.Select(s => new PromptCompletionExample(FactsTemplate.Replace("{story}", s.Text), FactsJson(Facts(s)))));

    static readonly JsonSerializerOptions FactsJsonOptions = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary><paramref name="facts"/> as the JSON a constrained answer holds: declared names and order, no whitespace.</summary>
    public static string FactsJson(StoryFacts facts) => JsonSerializer.Serialize(facts, FactsJsonOptions);

    /// <summary>
    /// Pieces only the record answer uses: JSON punctuation, the record's property names and its enums' values without a
    /// leading space, and each of their characters alone (constrained decoding needs every byte a value can hold to be a
    /// token of its own, to know it can always finish the value). The tokenizer appends them after the world's pieces, so
    /// every word of the world keeps its id and the pretrained model stays what it was.
    /// </summary>
    public static IEnumerable<string> FactsLexicon()
    {
        string[] words = [.. typeof(StoryFacts).GetProperties().Select(p => p.Name), .. Enum.GetNames<Person>(),
            .. Enum.GetNames<Item>(), .. Enum.GetNames<Feeling>()];
        return ["{", "}", "\"", ",", ":", "Facts", .. words, .. words.SelectMany(w => w).Distinct().Select(c => c.ToString())];
    }

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
