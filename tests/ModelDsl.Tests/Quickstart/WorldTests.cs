using System.Linq;
using ModelDsl.Data;
using Quickstart;
using Xunit;

namespace ModelDsl.Tests.Quickstart;

/// <summary>The properties of the quickstart's world that its claims rest on.</summary>
public sealed class WorldTests
{
    [Fact]
    public void Pretraining_never_states_how_an_unwritten_event_feels_but_does_use_its_verb()
    {
        var world = new World(seed: 3);
        var documents = world.Documents(2000, seed: 11);
        bool Mentions(string document, string word) => document.Split(' ', '\n').Contains(word);
        bool StatesAFeeling(string document) => Mentions(document, "happy") || Mentions(document, "sad");

        Assert.All(World.UnwrittenVerbs, verb =>
        {
            Assert.Contains(documents, d => Mentions(d, verb));
            Assert.DoesNotContain(documents, d => Mentions(d, verb) && StatesAFeeling(d));
        });
        Assert.Contains(documents, StatesAFeeling);
    }

    [Fact]
    public void Task_stories_cover_the_unwritten_events_and_both_labels()
    {
        var stories = new World(seed: 3).Stories(300, seed: 12);

        Assert.InRange(stories.Count(s => s.Unwritten), 60, 140); // four of twelve verbs: about a third
        Assert.All(stories.Where(s => s.Unwritten), s => Assert.Contains(World.UnwrittenVerbs, v => s.Text.Contains($" {v} ")));
        Assert.InRange(stories.Count(s => s.Feeling == Feeling.happy), 100, 200);
    }

    [Theory]
    [InlineData(" sad lost a hat .", true)]
    [InlineData(" sad lost a hat", true)]
    [InlineData(" sad tore a hat .", true)]     // any words, as long as the item is named
    [InlineData(" sad", false)]                 // the bare feeling: what supervised fine-tuning mostly says
    [InlineData(" happy got a hat .", false)]   // names the item but gets the feeling wrong
    [InlineData(" sad lost a coin .", false)]   // another item
    [InlineData(" hat . sad", false)]           // the feeling must come first
    public void The_preference_rule_wants_the_right_feeling_and_the_storys_item(string answer, bool follows)
    {
        var story = new Story("mia lost a hat .", Feeling.sad, Item.hat, Unwritten: false);

        Assert.Equal(follows, World.FollowsPreference(story, answer));
    }

    [Fact]
    public void Preference_pairs_choose_the_answer_that_follows_the_rule_and_reject_the_bare_feeling_or_a_wrong_one()
    {
        var stories = new World(seed: 3).Stories(50, seed: 12);
        var pairs = World.Preferences(stories);

        Assert.Equal(2 * stories.Count, pairs.Count);
        Assert.All(pairs.Select((pair, i) => (Story: stories[i / 2], Pair: (TextPreference)pair)), p =>
        {
            Assert.Equal(World.TaskTemplate.Replace("{story}", p.Story.Text), p.Pair.Prompt);
            Assert.True(World.FollowsPreference(p.Story, p.Pair.Chosen), p.Pair.Chosen);
            Assert.False(World.FollowsPreference(p.Story, p.Pair.Rejected), p.Pair.Rejected);
        });
        // Half the rejected answers are the bare feeling; the others name the wrong item or give the wrong feeling.
        Assert.Equal(stories.Count, pairs.Count(p => p.Rejected.Trim().Split(' ').Length == 1));
    }

    [Fact]
    public void The_record_answers_pieces_are_appended_so_every_word_of_the_world_keeps_its_id()
    {
        var world = new World(seed: 3);
        var plain = WordTokenizer.Build(world.Lexicon());
        var withFacts = WordTokenizer.Build(world.Lexicon(), World.FactsLexicon());

        Assert.Equal(plain.Vocabulary, withFacts.Vocabulary.Take(plain.Count));
        Assert.True(withFacts.Count <= WorldGpt.Vocab);
        var story = world.Stories(1, seed: 12)[0];
        var json = World.FactsJson(World.Facts(story));
        Assert.StartsWith("{\"Hero\":\"", json);
        Assert.Empty(withFacts.UnknownPieces(World.FactsTemplate.Replace("{story}", story.Text) + json));
        Assert.NotEmpty(plain.UnknownPieces(json));
    }
}
