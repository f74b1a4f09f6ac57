using System.Collections.Generic;
using System.Text;

namespace ModelDsl.Tokenization;

/// <summary>A <c>normalizer</c> of <c>tokenizer.json</c>, applied to each piece of text between added tokens.</summary>
internal interface ITextNormalizer
{
    NormalizedText Normalize(NormalizedText text);
}

/// <summary><c>Sequence</c>: each normalizer in turn.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<ITextNormalizer> normalizers) : ITextNormalizer
{
    public NormalizedText Normalize(NormalizedText text)
    {
        foreach (var normalizer in normalizers) text = normalizer.Normalize(text);
        return text;
    }
}

/// <summary><c>Prepend</c>: puts a string before any non-empty piece.</summary>
internal sealed class PrependNormalizer(string prefix) : ITextNormalizer
{
    public NormalizedText Normalize(NormalizedText text) => text.Prepend(prefix);
}

/// <summary><c>Replace</c>: every match of a string or regex becomes the content.</summary>
internal sealed class ReplaceNormalizer(TextPattern pattern, string content) : ITextNormalizer
{
    public NormalizedText Normalize(NormalizedText text)
    {
        if (pattern.LiteralText is { } literal && !text.Text.Contains(literal, System.StringComparison.Ordinal)) return text;
        return text.Replace(pattern.Find(text.Text), content);
    }
}

/// <summary><c>NFC</c>, <c>NFD</c>, <c>NFKC</c>, <c>NFKD</c>.</summary>
internal sealed class UnicodeNormalizer(NormalizationForm form) : ITextNormalizer
{
    public NormalizedText Normalize(NormalizedText text) => text.Normalize(form);
}

/// <summary>
/// <c>Lowercase</c>: Rust's <c>char::to_lowercase</c> per code point — the simple lowercase mapping plus the one
/// unconditional multi-character mapping (U+0130 → "i̇"), without context rules such as the final sigma.
/// </summary>
internal sealed class LowercaseNormalizer : ITextNormalizer
{
    public NormalizedText Normalize(NormalizedText text) => text.MapCodePoints(codePoint =>
        codePoint == 0x130 ? "i\u0307" : System.Text.Rune.ToLowerInvariant(new System.Text.Rune(codePoint)).ToString());
}

/// <summary><c>Strip</c>: removes leading and/or trailing Unicode whitespace.</summary>
internal sealed class StripNormalizer(bool left, bool right) : ITextNormalizer
{
    public NormalizedText Normalize(NormalizedText text)
    {
        int start = 0, end = text.Length;
        if (left) while (start < end && char.IsWhiteSpace(text.Text[start])) start++;
        if (right) while (end > start && char.IsWhiteSpace(text.Text[end - 1])) end--;
        return text.Slice(start, end);
    }
}
