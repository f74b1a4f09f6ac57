using System.IO;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelDsl.Tokenization;

/// <summary>
/// A regular expression from a tokenizer file, matched the way the Rust <c>tokenizers</c> library matches it with
/// Oniguruma: over code points (not UTF-16 units), with Oniguruma's <c>\w</c> and <c>\h</c>, and with its rule for
/// empty matches. Constructs whose meaning differs between the two engines and that cannot be translated (anchors,
/// nested classes, inline options other than <c>i</c>, <c>\b</c>, <c>\G</c>…) are refused when the file is read.
/// </summary>
/// <remarks>
/// .NET matches UTF-16 units, so a character outside the Basic Multilingual Plane would be seen as two surrogates
/// (category Cs) and, for example, <c>[^\r\n\p{L}\p{N}]?\p{L}+</c> would split an emoji from the word after it. Before
/// matching, each such character is replaced by one BMP character of the same Unicode category (the patterns only ask
/// about categories), and match positions are mapped back.
/// </remarks>
internal sealed class OnigRegex
{
    // One BMP stand-in per UnicodeCategory (same order as the enum), chosen outside ASCII, outside typical CJK ranges,
    // never whitespace and with no case mapping to ASCII.
    static readonly char[] StandIns =
    [
        '\u0181', '\u0253', '\u01C5', '\u02B0', '\u05D0', // Lu Ll Lt Lm Lo
        '\u0300', '\u0903', '\u0488',                     // Mn Mc Me
        '\u0660', '\u16EE', '\u00B2',                     // Nd Nl No
        '\u3000', '\u2028', '\u2029',                     // Zs Zl Zp (no astral characters have these)
        '\u0001', '\u00AD', '\uD800', '\uE000',           // Cc Cf Cs Co
        '\u203F', '\u058A', '\u0F3A', '\u0F3B', '\u00AB', '\u00BB', '\u00A1', // Pc Pd Ps Pe Pi Pf Po
        '\u00AC', '\u00A2', '\u00B4', '\u00A6',           // Sm Sc Sk So
        '\u0378',                                         // Cn
    ];

    static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    readonly Regex _regex;

    public OnigRegex(string pattern, JsonSection where)
    {
        if (pattern.Length > where.Limits.MaxPatternLength)
            throw where.Error($"is a pattern of {pattern.Length:N0} characters, over the limit of {where.Limits.MaxPatternLength:N0} (TokenizerFileLimits.MaxPatternLength).");
        Pattern = pattern;
        var translated = Translate(pattern, where);
        try
        {
            _regex = new Regex(translated, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw where.Error($"the regular expression '{pattern}' is not supported: {e.Message}");
        }
    }

    public string Pattern { get; }

    /// <summary>Non-overlapping matches as (start, end) UTF-16 offsets into <paramref name="input"/>, in order.</summary>
    public List<(int Start, int End)> Matches(string input)
    {
        var (subject, map) = StandInAstral(input);
        var found = new List<(int, int)>();
        // Oniguruma's iteration as the Rust binding runs it: an empty match that ends where the previous match ended is
        // skipped by moving the search start one character on.
        var searchStart = 0;
        var lastMatchEnd = -1;
        while (searchStart <= subject.Length)
        {
            Match match;
            try { match = _regex.Match(subject, searchStart); }
            catch (RegexMatchTimeoutException e)
            {
                throw new InvalidOperationException($"The tokenizer pattern '{Pattern}' took longer than {MatchTimeout.TotalSeconds} s on a text of {input.Length:N0} characters.", e);
            }
            if (!match.Success) break;
            int start = match.Index, end = match.Index + match.Length;
            if (start == end && end == lastMatchEnd)
            {
                searchStart += 1;
                continue;
            }
            searchStart = end;
            lastMatchEnd = end;
            found.Add(map is null ? (start, end) : (map[start], map[end]));
        }
        return found;
    }

    static (string Subject, int[]? Map) StandInAstral(string input)
    {
        var hasSurrogate = false;
        foreach (var c in input)
            if (char.IsSurrogate(c)) { hasSurrogate = true; break; }
        if (!hasSurrogate) return (input, null);

        var subject = new StringBuilder(input.Length);
        var map = new List<int>(input.Length + 1);
        for (var i = 0; i < input.Length; i++)
        {
            map.Add(i);
            if (char.IsHighSurrogate(input[i]) && i + 1 < input.Length && char.IsLowSurrogate(input[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(input[i], input[i + 1]));
                subject.Append(StandIns[(int)category]);
                i++;
            }
            else subject.Append(input[i]);
        }
        map.Add(input.Length);
        return (subject.ToString(), map.ToArray());
    }

    /// <summary>Rewrites the Oniguruma constructs that .NET reads differently, and refuses those it cannot rewrite.</summary>
    static string Translate(string pattern, JsonSection where)
    {
        const string Word = @"\p{L}\p{M}\p{N}\p{Pc}";   // Oniguruma's Unicode \w
        const string Hex = "0-9a-fA-F";
        var result = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        InvalidDataException Refuse(string what) =>
            where.Error($"the regular expression '{pattern}' uses {what}, which ModelDsl does not implement (Oniguruma and .NET read it differently).");

        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (char.IsSurrogate(c)) throw Refuse("a character outside the Basic Multilingual Plane");
            if (Array.IndexOf(StandIns, c) >= 0 && c != '\u3000' && c != '\u2028' && c != '\u2029')
                throw Refuse($"the character U+{(int)c:X4}, which stands in for astral characters while matching");
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length) throw Refuse("a trailing backslash");
                var next = pattern[++i];
                switch (next)
                {
                    case 'w': result.Append(inClass ? Word : $"[{Word}]"); break;
                    case 'W' when !inClass: result.Append($"[^{Word}]"); break;
                    case 'h': result.Append(inClass ? Hex : $"[{Hex}]"); break;
                    case 'H' when !inClass: result.Append($"[^{Hex}]"); break;
                    case 'W' or 'H': throw Refuse($"\\{next} inside a character class");
                    case 'b' or 'B' when !inClass: throw Refuse($"the word boundary \\{next}");
                    case 'G' or 'K' or 'R' or 'X' or 'O' or 'N' or 'y' or 'Y' or 'g' or 'k' or 'Z': throw Refuse($"\\{next}");
                    case 'x' when i + 1 < pattern.Length && pattern[i + 1] == '{':
                        var close = pattern.IndexOf('}', i);
                        if (close < 0) throw Refuse("an unterminated \\x{...}");
                        var code = int.Parse(pattern.AsSpan(i + 2, close - i - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        if (code > 0xFFFF) throw Refuse("a character outside the Basic Multilingual Plane");
                        result.Append($"\\u{code:X4}");
                        i = close;
                        break;
                    default: result.Append('\\').Append(next); break;
                }
                continue;
            }
            if (inClass)
            {
                if (c == '[') throw Refuse("a nested character class");
                if (c == '&' && i + 1 < pattern.Length && pattern[i + 1] == '&') throw Refuse("a class intersection (&&)");
                if (c == ']') inClass = false;
                result.Append(c);
                continue;
            }
            switch (c)
            {
                case '^' or '$': throw Refuse($"the anchor '{c}' (a line anchor in Oniguruma)");
                case '[':
                    inClass = true;
                    result.Append(c);
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^') result.Append(pattern[++i]);
                    if (i + 1 < pattern.Length && pattern[i + 1] == ']') { result.Append("\\]"); i++; }
                    continue;
                case '(' when i + 2 < pattern.Length && pattern[i + 1] == '?':
                    var kind = pattern[i + 2];
                    if (kind is ':' or '=' or '!' or '>' or '<') break;
                    var j = i + 2;
                    while (j < pattern.Length && (pattern[j] is 'i' or '-')) j++;
                    if (j >= pattern.Length || pattern[j] is not (':' or ')')) throw Refuse($"the inline option group starting at offset {i}");
                    break;
            }
            result.Append(c);
        }
        if (inClass) throw Refuse("an unterminated character class");
        return result.ToString();
    }
}
