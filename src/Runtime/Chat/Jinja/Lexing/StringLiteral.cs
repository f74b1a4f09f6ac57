using System.Globalization;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Decodes the body of a quoted string literal exactly as jinja2 does: the text is first made ASCII with Python's
/// <c>backslashreplace</c>, then decoded with Python's <c>unicode-escape</c> codec. That order matters for a backslash
/// written before a non-ASCII character, which therefore stays a literal <c>\xNN</c>-style text.
/// </summary>
internal static class StringLiteral
{
    public static string Decode(string body, SourcePosition position)
    {
        var ascii = BackslashReplace(body);
        var result = new StringBuilder(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            var c = ascii[i];
            if (c != '\\') { result.Append(c); continue; }
            if (i + 1 >= ascii.Length) throw Error("\\ at end of string", position);
            var e = ascii[++i];
            switch (e)
            {
                case '\n': break;
                case '\\': result.Append('\\'); break;
                case '\'': result.Append('\''); break;
                case '"': result.Append('"'); break;
                case 'a': result.Append('\a'); break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'v': result.Append('\v'); break;
                case >= '0' and <= '7':
                {
                    var value = e - '0';
                    for (var k = 0; k < 2 && i + 1 < ascii.Length && ascii[i + 1] is >= '0' and <= '7'; k++)
                        value = value * 8 + (ascii[++i] - '0');
                    result.Append((char)value);
                    break;
                }
                case 'x': AppendHex(result, ascii, ref i, 2, "truncated \\xXX escape", position); break;
                case 'u': AppendHex(result, ascii, ref i, 4, "truncated \\uXXXX escape", position); break;
                case 'U': AppendHex(result, ascii, ref i, 8, "truncated \\UXXXXXXXX escape", position); break;
                case 'N': throw JinjaException.Unsupported("The \\N{name} string escape", position);
                default: result.Append('\\').Append(e); break;
            }
        }
        return result.ToString();
    }

    static void AppendHex(StringBuilder result, string text, ref int i, int digits, string error, SourcePosition position)
    {
        if (i + digits >= text.Length) throw Error(error, position);
        var hex = text.Substring(i + 1, digits);
        if (!long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)) throw Error(error, position);
        if (code > 0x10FFFF) throw Error("illegal Unicode character", position);
        // Python strings can hold lone surrogates; a .NET string can too, as single UTF-16 units.
        result.Append(code < 0x10000 ? ((char)code).ToString() : char.ConvertFromUtf32((int)code));
        i += digits;
    }

    static string BackslashReplace(string text)
    {
        var ascii = true;
        foreach (var c in text) if (c > 0x7F) { ascii = false; break; }
        if (ascii) return text;
        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c <= 0x7F) { sb.Append(c); continue; }
            int code = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) code = char.ConvertToUtf32(c, text[++i]);
            if (code <= 0xFF) sb.Append("\\x").Append(code.ToString("x2", CultureInfo.InvariantCulture));
            else if (code <= 0xFFFF) sb.Append("\\u").Append(code.ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append("\\U").Append(code.ToString("x8", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    static JinjaException Error(string message, SourcePosition position) => new(JinjaErrorKind.Syntax, message, position);
}
