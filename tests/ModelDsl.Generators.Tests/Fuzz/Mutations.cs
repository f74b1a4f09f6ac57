using System.Linq;
using System.Text.RegularExpressions;
using CsCheck;

namespace ModelDsl.Generators.Tests.Fuzz;

/// <summary>What happens to code while it is being typed: cut short, tokens missing, arguments of the wrong type or unknown names.</summary>
internal static class Mutations
{
    static readonly Regex Token = new(@"""[^""]*""|\w+|\S", RegexOptions.CultureInvariant);
    static readonly Regex Number = new(@"(?<=[(,=\[]\s*)-?\d[\w.]*", RegexOptions.CultureInvariant);

    static readonly string[] WrongValues =
    [
        "\"64\"", "true", "null", "64.5", "Nope", "nameof(Nope)", "new int[0]", "typeof(int)", "default", "1 / 0", "(int)double.NaN",
        "int.MaxValue + 1", "Activation.Nope", "PromptInit.Text",
    ];

    static readonly string[] UnknownNames = ["Dimm", "Rank", "Layerz", "Target", "Init", "Bias"];

    /// <summary>The case unchanged most of the time; otherwise broken in one of several ways (and then its expectation is unknown).</summary>
    public static Gen<FuzzCase> Apply(Gen<FuzzCase> cases) => Gen.Select(cases, Gen.Int[0, 9], Gen.Int[0, int.MaxValue], Gen.Int[1, 3], (c, how, at, count) => how switch
    {
        0 => Broken(c, "truncated", c.Source.Substring(0, at % (c.Source.Length + 1))),
        1 => Broken(c, "tokens deleted", DeleteTokens(c.Source, at, count)),
        2 => Broken(c, "wrong argument type", ReplaceNumber(c.Source, at, WrongValues[at % WrongValues.Length])),
        3 => Broken(c, "unknown named argument", InsertNamedArgument(c.Source, at)),
        _ => c,
    });

    static FuzzCase Broken(FuzzCase c, string how, string source) => new($"{c.Kind}, {how}", source, Expectation.Unknown, false, c.ConfigJson);

    static string DeleteTokens(string source, int at, int count)
    {
        var tokens = Token.Matches(source).Cast<Match>().ToList();
        if (tokens.Count == 0) return source;
        int first = at % tokens.Count;
        var removed = tokens.Skip(first).Take(count).ToList();
        int start = removed[0].Index, end = removed[^1].Index + removed[^1].Length;
        return source.Remove(start, end - start);
    }

    static string ReplaceNumber(string source, int at, string replacement)
    {
        var numbers = Number.Matches(source);
        if (numbers.Count == 0) return source + replacement;
        var number = numbers[at % numbers.Count];
        return source.Remove(number.Index, number.Length).Insert(number.Index, replacement);
    }

    static string InsertNamedArgument(string source, int at)
    {
        int open = source.IndexOf('(', source.IndexOf('['));
        if (open < 0) return source;
        return source.Insert(open + 1, $"{UnknownNames[at % UnknownNames.Length]} = 1, ");
    }
}
