using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelDsl.Tokenization;

/// <summary>
/// A <c>pre_tokenizer</c> of <c>tokenizer.json</c>: splits (and may rewrite) the pieces of text that are not already
/// tokens. Empty pieces are dropped after every step, as the Rust library does.
/// </summary>
internal interface IPreTokenizerStep
{
    void PreTokenize(List<NormalizedText> pieces);
}

/// <summary>Helpers shared by the pre-tokenizers.</summary>
internal static class PreTokenizerSteps
{
    /// <summary>Replaces each piece by the non-empty pieces <paramref name="split"/> makes of it.</summary>
    public static void SplitEach(List<NormalizedText> pieces, System.Func<NormalizedText, List<NormalizedText>> split)
    {
        var result = new List<NormalizedText>(pieces.Count * 2);
        foreach (var piece in pieces)
            foreach (var part in split(piece))
                if (part.Length > 0) result.Add(part);
        pieces.Clear();
        pieces.AddRange(result);
    }

    /// <summary>Pieces for a per-character predicate, as the Rust library's <c>Fn(char) -> bool</c> pattern gives them.</summary>
    public static List<(int Start, int End, bool IsMatch)> FindChars(string text, System.Func<int, bool> isMatch)
    {
        var pieces = new List<(int, int, bool)>();
        if (text.Length == 0)
        {
            pieces.Add((0, 0, false));
            return pieces;
        }
        var last = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var codePoint = width == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            if (isMatch(codePoint))
            {
                if (last < i) pieces.Add((last, i, false));
                pieces.Add((i, i + width, true));
                last = i + width;
            }
            i += width - 1;
        }
        if (last < text.Length) pieces.Add((last, text.Length, false));
        return pieces;
    }

    /// <summary>Rust's <c>char::is_numeric</c>: general categories Nd, Nl and No.</summary>
    public static bool IsNumeric(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint) is
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>Rust's <c>char::is_whitespace</c> (the White_Space property; all of it lies in the BMP).</summary>
    public static bool IsWhiteSpace(int codePoint) => codePoint <= 0xFFFF && char.IsWhiteSpace((char)codePoint);

    /// <summary>
    /// The Rust <c>regex</c> crate's Unicode <c>\w</c>: Alphabetic, marks, decimal digits, connector punctuation and
    /// the joiners. Alphabetic is letters, letter numbers and Other_Alphabetic, whose members outside the marks are the
    /// circled and squared Latin letters listed here.
    /// </summary>
    public static bool IsRustWordCharacter(int codePoint)
    {
        if (codePoint is 0x200C or 0x200D) return true;
        if (codePoint is >= 0x24B6 and <= 0x24E9 or >= 0x1F130 and <= 0x1F149 or >= 0x1F150 and <= 0x1F169 or >= 0x1F170 and <= 0x1F189)
            return true;
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) is
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;
    }
}

/// <summary><c>Sequence</c>: each pre-tokenizer in turn.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizerStep> steps) : IPreTokenizerStep
{
    public void PreTokenize(List<NormalizedText> pieces)
    {
        foreach (var step in steps) step.PreTokenize(pieces);
    }
}

/// <summary><c>Split</c>: a string or regex pattern with a delimiter behavior, optionally inverted.</summary>
internal sealed class SplitPreTokenizer(TextPattern pattern, SplitBehavior behavior, bool invert) : IPreTokenizerStep
{
    public void PreTokenize(List<NormalizedText> pieces) => PreTokenizerSteps.SplitEach(pieces, piece =>
    {
        var matches = pattern.Find(piece.Text);
        if (invert)
            for (var i = 0; i < matches.Count; i++) matches[i] = (matches[i].Start, matches[i].End, !matches[i].IsMatch);
        return piece.Split(matches, behavior);
    });
}

/// <summary>
/// <c>ByteLevel</c>: optionally a leading space, optionally GPT-2's split regex, then every UTF-8 byte of each piece
/// as its <see cref="ByteLevelAlphabet"/> character.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex, OnigRegex? gpt2Split) : IPreTokenizerStep
{
    public bool AddPrefixSpace => addPrefixSpace;

    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public void PreTokenize(List<NormalizedText> pieces)
    {
        PreTokenizerSteps.SplitEach(pieces, piece =>
        {
            if (addPrefixSpace && !piece.Text.StartsWith(' ')) piece = piece.Prepend(" ");
            if (!useRegex) return [piece];
            var matches = new List<(int, int, bool)>();
            var previous = 0;
            foreach (var (start, end) in gpt2Split!.Matches(piece.Text))
            {
                if (previous != start) matches.Add((previous, start, false));
                matches.Add((start, end, true));
                previous = end;
            }
            if (previous != piece.Length || piece.Length == 0) matches.Add((previous, piece.Length, false));
            return piece.Split(matches, SplitBehavior.Isolated);
        });
        for (var i = 0; i < pieces.Count; i++) pieces[i] = ToByteAlphabet(pieces[i]);
    }

    static readonly Encoding Utf8 = new UTF8Encoding(false, true);

    static NormalizedText ToByteAlphabet(NormalizedText piece)
    {
        var ascii = true;
        foreach (var c in piece.Text)
            if (c >= 0x80 || ByteLevelAlphabet.CharOf[c] != c) { ascii = false; break; }
        if (ascii) return piece;
        return piece.MapCodePoints(codePoint =>
        {
            var bytes = Utf8.GetBytes(char.ConvertFromUtf32(codePoint));
            var mapped = new char[bytes.Length];
            for (var k = 0; k < bytes.Length; k++) mapped[k] = ByteLevelAlphabet.CharOf[bytes[k]];
            return new string(mapped);
        });
    }
}

/// <summary>How <c>Metaspace</c> adds the replacement character in front of a piece.</summary>
internal enum PrependScheme
{
    Always,
    First,
    Never,
}

/// <summary>
/// <c>Metaspace</c>: spaces become the replacement character (<c>▁</c>), which is prepended per the scheme, and
/// pieces are split before each replacement character when <c>split</c> is set.
/// </summary>
internal sealed class MetaspacePreTokenizer(char replacement, PrependScheme scheme, bool split) : IPreTokenizerStep
{
    readonly TextPattern _space = TextPattern.Literal(" ");
    readonly string _replacement = replacement.ToString();

    public void PreTokenize(List<NormalizedText> pieces) => PreTokenizerSteps.SplitEach(pieces, piece =>
    {
        if (piece.Text.Contains(' ')) piece = piece.Replace(_space.Find(piece.Text), _replacement);
        var prepend = scheme switch
        {
            PrependScheme.Always => !piece.Text.StartsWith(replacement),
            PrependScheme.First => !piece.Text.StartsWith(replacement) && piece.OriginalStart == 0,
            _ => false,
        };
        if (prepend) piece = piece.Prepend(_replacement);
        if (!split) return [piece];
        return piece.Split(PreTokenizerSteps.FindChars(piece.Text, c => c == replacement), SplitBehavior.MergedWithNext);
    });
}

/// <summary><c>Digits</c>: numbers apart from the rest, one piece per digit when <c>individual_digits</c> is set.</summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : IPreTokenizerStep
{
    public void PreTokenize(List<NormalizedText> pieces) => PreTokenizerSteps.SplitEach(pieces, piece =>
        piece.Split(PreTokenizerSteps.FindChars(piece.Text, PreTokenizerSteps.IsNumeric),
            individualDigits ? SplitBehavior.Isolated : SplitBehavior.Contiguous));
}

/// <summary><c>WhitespaceSplit</c>: splits on whitespace, which is removed.</summary>
internal sealed class WhitespaceSplitPreTokenizer : IPreTokenizerStep
{
    public void PreTokenize(List<NormalizedText> pieces) => PreTokenizerSteps.SplitEach(pieces, piece =>
        piece.Split(PreTokenizerSteps.FindChars(piece.Text, PreTokenizerSteps.IsWhiteSpace), SplitBehavior.Removed));
}

/// <summary><c>Whitespace</c>: the pieces matching <c>\w+|[^\w\s]+</c> (Rust regex classes); whitespace is removed.</summary>
internal sealed class WhitespacePreTokenizer : IPreTokenizerStep
{
    public void PreTokenize(List<NormalizedText> pieces) => PreTokenizerSteps.SplitEach(pieces, piece =>
        piece.Split(Classify(piece.Text), SplitBehavior.Removed));

    // Runs of word characters and runs of other non-space characters are kept (not matches of the inverted pattern);
    // whitespace between them is a "match" and is removed.
    static List<(int Start, int End, bool IsMatch)> Classify(string text)
    {
        var pieces = new List<(int, int, bool)>();
        if (text.Length == 0) { pieces.Add((0, 0, false)); return pieces; }
        var start = 0;
        var kind = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var codePoint = width == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            var next = PreTokenizerSteps.IsRustWordCharacter(codePoint) ? 0 : PreTokenizerSteps.IsWhiteSpace(codePoint) ? 2 : 1;
            if (next != kind || next == 2)
            {
                if (kind >= 0 && i > start) pieces.Add((start, i, kind == 2));
                start = i;
                kind = next;
            }
            i += width - 1;
        }
        pieces.Add((start, text.Length, kind == 2));
        return pieces;
    }
}
