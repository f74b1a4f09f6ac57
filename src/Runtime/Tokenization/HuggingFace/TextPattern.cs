using System;
using System.Collections.Generic;

namespace ModelDsl.Tokenization;

/// <summary>
/// The <c>pattern</c> of a <c>Split</c>, <c>Replace</c> normalizer or <c>Replace</c> decoder: <c>{"String": …}</c> (a
/// literal) or <c>{"Regex": …}</c>. <see cref="Find"/> covers the whole input with alternating non-matching and matching
/// pieces, as the Rust library's <c>Pattern::find_matches</c> does.
/// </summary>
internal sealed class TextPattern
{
    readonly string? _literal;
    readonly OnigRegex? _regex;

    TextPattern(string? literal, OnigRegex? regex)
    {
        _literal = literal;
        _regex = regex;
    }

    public static TextPattern Literal(string text) => new(text, null);

    public static TextPattern Read(JsonSection section)
    {
        section.RefuseOtherFields("String", "Regex");
        if (section.TryGet("String", out var literal))
        {
            var text = literal.AsString();
            if (text.Length == 0) throw literal.Error("an empty pattern is not supported.");
            return new TextPattern(text, null);
        }
        if (section.TryGet("Regex", out var regex)) return new TextPattern(null, new OnigRegex(regex.AsString(), regex));
        throw section.Error("must be {\"String\": …} or {\"Regex\": …}.");
    }

    /// <summary>The literal text when the pattern is a plain string.</summary>
    public string? LiteralText => _literal;

    /// <summary>(start, end, isMatch) pieces covering <paramref name="input"/> from start to end.</summary>
    public List<(int Start, int End, bool IsMatch)> Find(string input)
    {
        var pieces = new List<(int, int, bool)>();
        if (input.Length == 0)
        {
            pieces.Add((0, 0, false));
            return pieces;
        }
        var previous = 0;
        foreach (var (start, end) in Matches(input))
        {
            if (previous != start) pieces.Add((previous, start, false));
            pieces.Add((start, end, true));
            previous = end;
        }
        if (previous != input.Length) pieces.Add((previous, input.Length, false));
        return pieces;
    }

    IEnumerable<(int Start, int End)> Matches(string input)
    {
        if (_regex is not null) return _regex.Matches(input);
        var found = new List<(int, int)>();
        for (var at = input.IndexOf(_literal!, StringComparison.Ordinal); at >= 0;
             at = input.IndexOf(_literal!, at + _literal!.Length, StringComparison.Ordinal))
            found.Add((at, at + _literal!.Length));
        return found;
    }
}
