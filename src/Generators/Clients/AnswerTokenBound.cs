using System.Globalization;

namespace ModelDsl.Generators.Clients;

/// <summary>
/// The fewest tokens a JSON text can take under a tokenizer that splits words and numbers from what follows them:
/// GPT-2's byte-level pattern (<c> ?\p{L}+</c>, <c> ?\p{N}+</c>) and the Split patterns of Llama 3 and Qwen
/// (<c>[^\r\n\p{L}\p{N}]?\p{L}+</c>, <c>\p{N}{1,3}</c> or <c>\p{N}</c>). Under each, every maximal run of letters and
/// every maximal run of digits ends a pre-token, and no token crosses a pre-token, so each run ends a different token;
/// the text after the last run (at least a closing quote or brace) is one more. SentencePiece-style tokenizers
/// (Metaspace only: Llama 2, Mistral, Gemma) do not split there, so this is no bound for them: the client checks the
/// real count at run time.
/// </summary>
internal static class AnswerTokenBound
{
    /// <summary>Letter runs + digit runs + 1 (the text after the last run); 1 for text with neither.</summary>
    public static int Of(string json)
    {
        var runs = 0;
        var previous = Kind.Other;
        for (var i = 0; i < json.Length; i += char.IsSurrogatePair(json, i) ? 2 : 1)
        {
            var kind = KindOf(CharUnicodeInfo.GetUnicodeCategory(json, i));
            if (kind != Kind.Other && kind != previous) runs++;
            previous = kind;
        }
        return runs + 1;
    }

    enum Kind { Other, Letter, Number }

    // \p{L} and \p{N} as the pre-tokenizer patterns use them.
    static Kind KindOf(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Kind.Letter,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Kind.Number,
        _ => Kind.Other,
    };
}
