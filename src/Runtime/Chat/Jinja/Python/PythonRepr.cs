using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Python's <c>str()</c> and <c>repr()</c> of template values: what <c>{{ x }}</c> prints (<c>True</c>, <c>None</c>,
/// <c>1.0</c>, <c>['a', 'b']</c>, <c>{'a': 1}</c>, <c>('a',)</c>) and how strings are quoted inside containers.
/// </summary>
internal static class PythonRepr
{
    /// <summary>Python's <c>str(value)</c>; undefined is empty.</summary>
    public static string Str(object? value) => value switch
    {
        string s => s,
        Undefined => "",
        _ => Repr(value),
    };

    public static string Repr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => PythonFloat.Repr(d),
        string s => ReprString(s),
        List<object?> list => "[" + string.Join(", ", list.Select(Repr)) + "]",
        PyTuple tuple => tuple.Count == 1 ? $"({Repr(tuple[0])},)" : "(" + string.Join(", ", tuple.Select(Repr)) + ")",
        PyDict dict => ReprDict(dict),
        PyRange range => range.ToString(),
        DictView view => $"{view.TypeName}([{string.Join(", ", view.Items().Select(Repr))}])",
        Undefined => "Undefined",
        Namespace ns => $"<Namespace {ReprDict(ns.Attributes)}>",
        LoopContext loop => loop.ToString(),
        _ => throw JinjaException.Unsupported($"Printing a {PythonTypes.NameOf(value)} object (Python shows its memory address)"),
    };

    static string ReprDict(PyDict dict) => "{" + string.Join(", ", dict.Pairs.Select(p => $"{Repr(p.Key)}: {Repr(p.Value)}")) + "}";

    /// <summary>Python's string repr: single quotes unless the text has a single quote and no double quote; escapes
    /// for backslash, the quote, <c>\t\n\r</c> and non-printable characters.</summary>
    public static string ReprString(string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 2).Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == quote || c == '\\') { sb.Append('\\').Append(c); continue; }
            switch (c)
            {
                case '\t': sb.Append("\\t"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var code = char.ConvertToUtf32(c, s[i + 1]);
                if (IsPrintable(CharUnicodeInfo.GetUnicodeCategory(s, i))) sb.Append(c).Append(s[i + 1]);
                else sb.Append("\\U").Append(code.ToString("x8", CultureInfo.InvariantCulture));
                i++;
                continue;
            }
            if (c == ' ' || IsPrintable(CharUnicodeInfo.GetUnicodeCategory(c))) sb.Append(c);
            else if (c <= 0xFF) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return sb.Append(quote).ToString();
    }

    // Python's str.isprintable(): everything but "Other" (Cc, Cf, Cs, Co, Cn) and "Separator" (Zs, Zl, Zp) categories.
    static bool IsPrintable(UnicodeCategory category) => category is not (UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
