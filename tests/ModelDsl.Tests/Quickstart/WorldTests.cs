using System.Linq;
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
}
