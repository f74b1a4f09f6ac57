using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelDsl.Tokenization;

/// <summary>
/// A piece of text on its way through normalization and pre-tokenization, with, for each UTF-16 unit, the range of the
/// original text it came from (so tokens get offsets into the caller's string). Every operation returns a new piece.
/// </summary>
internal sealed class NormalizedText
{
    public NormalizedText(string text, (int Start, int End)[] alignment)
    {
        Text = text;
        Alignment = alignment;
    }

    public string Text { get; }

    /// <summary>Original range of each UTF-16 unit of <see cref="Text"/>.</summary>
    public (int Start, int End)[] Alignment { get; }

    public int Length => Text.Length;

    /// <summary>Where this piece starts in the original text (the Metaspace "first" scheme asks whether it is 0).</summary>
    public int OriginalStart => Alignment.Length > 0 ? Alignment[0].Start : 0;

    public static NormalizedText FromOriginal(string text, int offset, int length)
    {
        var alignment = new (int, int)[length];
        for (var i = 0; i < length; i++) alignment[i] = (offset + i, offset + i + 1);
        // A surrogate pair aligns as one character.
        for (var i = 0; i + 1 < length; i++)
            if (char.IsHighSurrogate(text[offset + i]) && char.IsLowSurrogate(text[offset + i + 1]))
            {
                alignment[i] = (offset + i, offset + i + 2);
                alignment[i + 1] = (offset + i, offset + i + 2);
                i++;
            }
        return new NormalizedText(text.Substring(offset, length), alignment);
    }

    public NormalizedText Slice(int start, int end) =>
        start == 0 && end == Length ? this : new NormalizedText(Text[start..end], Alignment[start..end]);

    /// <summary>The original range covered by units [start, end) of this piece.</summary>
    public (int Start, int End) OriginalRange(int start, int end)
    {
        if (Alignment.Length == 0) return (0, 0);
        if (start >= end)
        {
            var at = start < Alignment.Length ? Alignment[start].Start : Alignment[^1].End;
            return (at, at);
        }
        var first = Alignment[start].Start;
        var last = first;
        for (var i = start; i < end; i++) last = Math.Max(last, Alignment[i].End);
        return (first, last);
    }

    public NormalizedText Prepend(string prefix)
    {
        if (Length == 0 || prefix.Length == 0) return this;
        var alignment = new (int, int)[prefix.Length + Length];
        for (var i = 0; i < prefix.Length; i++) alignment[i] = Alignment[0];
        Array.Copy(Alignment, 0, alignment, prefix.Length, Length);
        return new NormalizedText(prefix + Text, alignment);
    }

    /// <summary>Replaces every matching piece by <paramref name="content"/>, aligned to what it replaced.</summary>
    public NormalizedText Replace(List<(int Start, int End, bool IsMatch)> pieces, string content)
    {
        var text = new StringBuilder(Length);
        var alignment = new List<(int, int)>(Length);
        foreach (var (start, end, isMatch) in pieces)
        {
            if (!isMatch)
            {
                text.Append(Text, start, end - start);
                for (var i = start; i < end; i++) alignment.Add(Alignment[i]);
                continue;
            }
            var range = OriginalRange(start, end);
            text.Append(content);
            for (var i = 0; i < content.Length; i++) alignment.Add(range);
        }
        return new NormalizedText(text.ToString(), alignment.ToArray());
    }

    /// <summary>Maps each code point to a replacement string; every unit produced aligns to the code point it came from.</summary>
    public NormalizedText MapCodePoints(Func<int, string> map)
    {
        var text = new StringBuilder(Length);
        var alignment = new List<(int, int)>(Length);
        for (var i = 0; i < Length; i++)
        {
            var width = char.IsHighSurrogate(Text[i]) && i + 1 < Length ? 2 : 1;
            var codePoint = width == 2 ? char.ConvertToUtf32(Text[i], Text[i + 1]) : Text[i];
            var range = OriginalRange(i, i + width);
            var replacement = map(codePoint);
            text.Append(replacement);
            for (var k = 0; k < replacement.Length; k++) alignment.Add(range);
            i += width - 1;
        }
        return new NormalizedText(text.ToString(), alignment.ToArray());
    }

    /// <summary>
    /// Unicode normalization of the whole piece (exact), aligned per grapheme cluster when normalizing clusters one by
    /// one gives the same text, and to the whole piece otherwise.
    /// </summary>
    public NormalizedText Normalize(NormalizationForm form)
    {
        if (Text.IsNormalized(form)) return this;
        var whole = Text.Normalize(form);
        var text = new StringBuilder(whole.Length);
        var alignment = new List<(int, int)>(whole.Length);
        var enumerator = StringInfo.GetTextElementEnumerator(Text);
        while (enumerator.MoveNext())
        {
            var start = enumerator.ElementIndex;
            var element = ((string)enumerator.Current).Normalize(form);
            var range = OriginalRange(start, start + ((string)enumerator.Current).Length);
            text.Append(element);
            for (var k = 0; k < element.Length; k++) alignment.Add(range);
        }
        if (text.ToString() == whole) return new NormalizedText(whole, alignment.ToArray());
        var all = OriginalRange(0, Length);
        var flat = new (int, int)[whole.Length];
        Array.Fill(flat, all);
        return new NormalizedText(whole, flat);
    }

    /// <summary>
    /// Splits on the pattern pieces with one of the Rust library's delimiter behaviors (Removed, Isolated,
    /// MergedWithPrevious, MergedWithNext, Contiguous); empty results are kept for the caller to drop.
    /// </summary>
    public List<NormalizedText> Split(List<(int Start, int End, bool IsMatch)> matches, SplitBehavior behavior)
    {
        var spans = new List<(int Start, int End, bool Remove)>(matches.Count);
        switch (behavior)
        {
            case SplitBehavior.Isolated:
                foreach (var (s, e, _) in matches) spans.Add((s, e, false));
                break;
            case SplitBehavior.Removed:
                foreach (var (s, e, m) in matches) spans.Add((s, e, m));
                break;
            case SplitBehavior.Contiguous:
            {
                var previous = false;
                foreach (var (s, e, m) in matches)
                {
                    if (m == previous && spans.Count > 0) spans[^1] = (spans[^1].Start, e, false);
                    else spans.Add((s, e, false));
                    previous = m;
                }
                break;
            }
            case SplitBehavior.MergedWithPrevious:
            {
                var previous = false;
                foreach (var (s, e, m) in matches)
                {
                    if (m && !previous && spans.Count > 0) spans[^1] = (spans[^1].Start, e, false);
                    else spans.Add((s, e, false));
                    previous = m;
                }
                break;
            }
            case SplitBehavior.MergedWithNext:
            {
                var previous = false;
                for (var k = matches.Count - 1; k >= 0; k--)
                {
                    var (s, e, m) = matches[k];
                    if (m && !previous && spans.Count > 0) spans[^1] = (s, spans[^1].End, false);
                    else spans.Add((s, e, false));
                    previous = m;
                }
                spans.Reverse();
                break;
            }
        }
        var result = new List<NormalizedText>(spans.Count);
        foreach (var (s, e, remove) in spans)
            if (!remove) result.Add(Slice(s, e));
        return result;
    }
}

/// <summary>What a split does with the delimiter it found (the Rust library's <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}
