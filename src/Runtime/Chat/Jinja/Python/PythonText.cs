using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Python's view of text. Python counts and indexes code points where .NET counts UTF-16 units, so lengths, indexes
/// and slices go through here (with a fast path for text without surrogate pairs). Also Python's whitespace set and
/// its Unicode case mappings.
/// </summary>
internal static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c> for one character (.NET's set plus the separators U+001C–U+001F).</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    public static bool IsAllSpace(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
            if (!IsSpace(text[i])) return false;
        return from < text.Length;
    }

    static bool HasSurrogates(string s)
    {
        foreach (var c in s) if (char.IsSurrogate(c)) return true;
        return false;
    }

    /// <summary>The code points of <paramref name="s"/>, each as a string.</summary>
    public static IEnumerable<object?> CodePoints(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                yield return s.Substring(i++, 2);
            }
            else yield return s[i].ToString();
        }
    }

    public static string[] CodePointArray(string s) => CodePoints(s).Cast<string>().ToArray();

    public static long CodePointCount(string s)
    {
        if (!HasSurrogates(s)) return s.Length;
        long count = 0;
        for (var i = 0; i < s.Length; i++, count++)
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
        return count;
    }

    /// <summary>Converts a code point index (0..length) to a UTF-16 index.</summary>
    public static int Utf16Index(string s, long codePointIndex)
    {
        if (!HasSurrogates(s)) return (int)codePointIndex;
        var i = 0;
        for (long k = 0; k < codePointIndex && i < s.Length; k++)
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        return i;
    }

    /// <summary>Converts a UTF-16 index to a code point index.</summary>
    public static long CodePointIndex(string s, int utf16Index) => CodePointCount(s[..utf16Index]);

    /// <summary>Orders strings by code point, as Python does (UTF-16 ordinal order differs above U+FFFF).</summary>
    public static int CompareCodePoints(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] == b[i]) continue;
            var (x, y) = (a[i], b[i]);
            // A surrogate (U+D800..DFFF) stands for a code point above every BMP character.
            var xs = char.IsSurrogate(x) ? x + 0x10000 : x;
            var ys = char.IsSurrogate(y) ? y + 0x10000 : y;
            return xs.CompareTo(ys);
        }
        return a.Length.CompareTo(b.Length);
    }

    // ---- stripping -------------------------------------------------------------------------------------------------

    public static string Strip(string s, string? chars = null) => RStrip(LStrip(s, chars), chars);

    public static string LStrip(string s, string? chars = null)
    {
        var cps = chars is null ? null : new HashSet<string>(CodePointArray(chars));
        var i = 0;
        while (i < s.Length)
        {
            var width = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
            if (cps is null ? !(width == 1 && IsSpace(s[i])) : !cps.Contains(s.Substring(i, width))) break;
            i += width;
        }
        return s[i..];
    }

    public static string RStrip(string s, string? chars = null)
    {
        var cps = chars is null ? null : new HashSet<string>(CodePointArray(chars));
        var end = s.Length;
        while (end > 0)
        {
            var width = char.IsLowSurrogate(s[end - 1]) && end >= 2 && char.IsHighSurrogate(s[end - 2]) ? 2 : 1;
            if (cps is null ? !(width == 1 && IsSpace(s[end - 1])) : !cps.Contains(s.Substring(end - width, width))) break;
            end -= width;
        }
        return s[..end];
    }

    // ---- case ------------------------------------------------------------------------------------------------------

    public static string Upper(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            if (SpecialCasing.TryUpper(c, out var upper)) sb.Append(upper);
            else sb.Append(char.ToUpperInvariant(c));
        return sb.ToString();
    }

    public static string Lower(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\u0130') sb.Append("i\u0307");
            else if (c == '\u03a3') sb.Append(IsFinalSigma(s, i) ? '\u03c2' : '\u03c3');
            else sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    static string TitleChar(char c) => SpecialCasing.TryTitle(c, out var title) ? title : SpecialCasing.TryUpper(c, out var upper) ? upper : char.ToUpperInvariant(c).ToString();

    /// <summary>Python's <c>str.capitalize()</c>: the first character in title case, the rest lower case.</summary>
    public static string Capitalize(string s) => s.Length == 0 ? s : TitleChar(s[0]) + Lower(s)[LowerPrefixLength(s)..];

    // Lower() of the first character may be two characters (İ); skip exactly what it produced.
    static int LowerPrefixLength(string s) => Lower(s[..1]).Length;

    /// <summary>Python's <c>str.title()</c>: a character after a cased one is lowered, any other is title-cased.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previousCased = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (previousCased) sb.Append(c == '\u03a3' ? (IsFinalSigma(s, i) ? "\u03c2" : "\u03c3") : Lower(c.ToString()));
            else sb.Append(TitleChar(c));
            previousCased = IsCased(c);
        }
        return sb.ToString();
    }

    public static string SwapCase(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            sb.Append(char.IsUpper(c) ? Lower(c.ToString()) : char.IsLower(c) ? Upper(c.ToString()) : c.ToString());
        return sb.ToString();
    }

    static bool IsCased(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    static bool IsCaseIgnorable(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || c is '\'' or '.' or ':' or '\u00b7' or '\u2019';

    /// <summary>Unicode's Final_Sigma condition: a cased letter before, none after (skipping case-ignorable ones).</summary>
    static bool IsFinalSigma(string s, int index)
    {
        var j = index - 1;
        while (j >= 0 && IsCaseIgnorable(s[j])) j--;
        if (j < 0 || !IsCased(s[j])) return false;
        var k = index + 1;
        while (k < s.Length && IsCaseIgnorable(s[k])) k++;
        return k >= s.Length || !IsCased(s[k]);
    }

    public static bool IsLower(string s) => s.Any(IsCased) && !s.Any(c => char.IsUpper(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter);

    public static bool IsUpper(string s) => s.Any(IsCased) && !s.Any(c => char.IsLower(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter);

    // ---- splitting and searching -----------------------------------------------------------------------------------

    /// <summary>Python's <c>str.split(sep, maxsplit)</c>; a null separator splits on runs of whitespace.</summary>
    public static List<object?> Split(string s, string? separator, long maxSplit)
    {
        var parts = new List<object?>();
        if (separator is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && IsSpace(s[i])) i++;
                if (i >= s.Length) break;
                if (maxSplit >= 0 && parts.Count >= maxSplit)
                {
                    parts.Add(s[i..]);
                    break;
                }
                var start = i;
                while (i < s.Length && !IsSpace(s[i])) i++;
                parts.Add(s[start..i]);
            }
            return parts;
        }
        if (separator.Length == 0) throw new JinjaException(JinjaErrorKind.Runtime, "empty separator");
        var from = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            var at = s.IndexOf(separator, from, StringComparison.Ordinal);
            if (at < 0) break;
            parts.Add(s[from..at]);
            from = at + separator.Length;
        }
        parts.Add(s[from..]);
        return parts;
    }

    /// <summary>Python's <c>str.rsplit(sep, maxsplit)</c>.</summary>
    public static List<object?> RSplit(string s, string? separator, long maxSplit)
    {
        if (maxSplit < 0) return Split(s, separator, maxSplit);
        var parts = new List<object?>();
        if (separator is null)
        {
            var end = s.Length;
            while (true)
            {
                while (end > 0 && IsSpace(s[end - 1])) end--;
                if (end == 0) break;
                if (parts.Count >= maxSplit)
                {
                    parts.Add(s[..end]);
                    break;
                }
                var stop = end;
                while (end > 0 && !IsSpace(s[end - 1])) end--;
                parts.Add(s[end..stop]);
            }
        }
        else
        {
            if (separator.Length == 0) throw new JinjaException(JinjaErrorKind.Runtime, "empty separator");
            var to = s.Length;
            while (parts.Count < maxSplit)
            {
                var at = to - separator.Length < 0 ? -1 : s.LastIndexOf(separator, to - 1, to, StringComparison.Ordinal);
                if (at < 0 || at + separator.Length > to) break;
                parts.Add(s[(at + separator.Length)..to]);
                to = at;
            }
            parts.Add(s[..to]);
        }
        parts.Reverse();
        return parts;
    }

    /// <summary>Python's <c>str.splitlines(keepends)</c>.</summary>
    public static List<object?> SplitLines(string s, bool keepEnds)
    {
        var lines = new List<object?>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            var breakLength = c == '\r' && i + 1 < s.Length && s[i + 1] == '\n' ? 2
                : c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029' ? 1 : 0;
            if (breakLength == 0) { i++; continue; }
            lines.Add(keepEnds ? s[start..(i + breakLength)] : s[start..i]);
            i += breakLength;
            start = i;
        }
        if (start < s.Length) lines.Add(s[start..]);
        return lines;
    }

    /// <summary>Python's <c>str.replace(old, new, count)</c>, including the empty <paramref name="old"/> case.</summary>
    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count == 0) return s;
        var sb = new StringBuilder();
        long done = 0;
        if (old.Length == 0)
        {
            foreach (var cp in CodePoints(s))
            {
                if (count < 0 || done < count) { sb.Append(replacement); done++; }
                sb.Append(cp);
            }
            if (count < 0 || done < count) sb.Append(replacement);
            return sb.ToString();
        }
        var from = 0;
        while (count < 0 || done < count)
        {
            var at = s.IndexOf(old, from, StringComparison.Ordinal);
            if (at < 0) break;
            sb.Append(s, from, at - from).Append(replacement);
            from = at + old.Length;
            done++;
        }
        return sb.Append(s, from, s.Length - from).ToString();
    }

    /// <summary>Resolves Python's optional start/end (code point indexes, negatives from the end) to a UTF-16 range.</summary>
    public static (int Start, int End) Range(string s, object? start, object? end)
    {
        var length = CodePointCount(s);
        long Resolve(object? value, long fallback)
        {
            if (value is null) return fallback;
            var v = PythonTypes.AsLong(value);
            if (v < 0) v = Math.Max(0, v + length);
            return Math.Min(v, length);
        }
        var (a, b) = (Resolve(start, 0), Resolve(end, length));
        return (Utf16Index(s, a), Utf16Index(s, Math.Max(a, b)));
    }
}
