using System;
using System.Text;

namespace TinyGptExample;

/// <summary>Deterministic little stories from a template grammar, so the example needs no data files.</summary>
public static class StoryCorpus
{
    static readonly string[] Names = ["ada", "bo", "cy", "dee", "eli", "fay"];
    static readonly string[] Colors = ["red", "blue", "green", "gold"];
    static readonly string[] Things = ["cat", "box", "kite", "hat", "map"];
    static readonly string[] Verbs = ["sees", "finds", "keeps", "drops"];

    public static string Generate(int sentences, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int i = 0; i < sentences; i++)
        {
            string Pick(string[] words) => words[random.Next(words.Length)];
            var name = Pick(Names);
            text.Append($"{name} {Pick(Verbs)} a {Pick(Colors)} {Pick(Things)}. ");
            if (random.Next(3) == 0) text.Append($"then {name} is happy.\n");
        }
        return text.ToString();
    }
}
