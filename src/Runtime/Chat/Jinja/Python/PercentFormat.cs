using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Python's printf-style <c>str % values</c> (also the <c>format</c> filter) for the conversions <c>s r d i f F %</c>
/// with flags <c>-</c>/<c>0</c>, a width and a precision, positional or <c>%(name)s</c>; other conversions are refused.
/// </summary>
internal static class PercentFormat
{
    public static string Apply(string format, object? values)
    {
        var positional = values is PyTuple tuple ? (IReadOnlyList<object?>)tuple : [values];
        var mapping = values as PyDict;
        var next = 0;
        var usedMapping = false;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%') { sb.Append(format[i]); continue; }
            if (++i >= format.Length) throw Error("incomplete format");
            object? value = null;
            var named = false;
            if (format[i] == '(')
            {
                var close = format.IndexOf(')', i);
                if (close < 0) throw Error("incomplete format key");
                if (mapping is null) throw JinjaException.TypeError("format requires a mapping");
                var key = format[(i + 1)..close];
                if (!mapping.TryGet(key, out value)) throw new JinjaException(JinjaErrorKind.Runtime, $"KeyError: {PythonRepr.Repr(key)}");
                usedMapping = named = true;
                i = close + 1;
            }
            var flags = "";
            while (i < format.Length && format[i] is '-' or '0' or ' ' or '+' or '#') flags += format[i++];
            var width = ReadNumber(format, ref i);
            int? precision = null;
            if (i < format.Length && format[i] == '.') { i++; precision = ReadNumber(format, ref i) ?? 0; }
            if (i >= format.Length) throw Error("incomplete format");
            var conversion = format[i];
            if (conversion == '%') { sb.Append('%'); continue; }
            if (!named)
            {
                if (next >= positional.Count) throw JinjaException.TypeError("not enough arguments for format string");
                value = positional[next++];
            }
            var text = conversion switch
            {
                's' => PythonRepr.Str(value),
                'r' => PythonRepr.Repr(value),
                'd' or 'i' => Integer(value).ToString(CultureInfo.InvariantCulture),
                'f' or 'F' => Fixed(value, precision ?? 6, conversion),
                _ => throw JinjaException.Unsupported($"The '%{conversion}' conversion of printf-style formatting"),
            };
            if (precision is { } p && conversion is 's' or 'r' && p < text.Length) text = text[..p];
            if (flags.Contains('+') && conversion is 'd' or 'i' or 'f' or 'F' && !text.StartsWith('-')) text = "+" + text;
            else if (flags.Contains(' ') && conversion is 'd' or 'i' or 'f' or 'F' && !text.StartsWith('-')) text = " " + text;
            if (width is { } w && text.Length < w)
            {
                if (flags.Contains('-')) text = text.PadRight(w);
                else if (flags.Contains('0') && conversion is not ('s' or 'r'))
                {
                    var sign = text.StartsWith('-') || text.StartsWith('+') || text.StartsWith(' ') ? text[..1] : "";
                    text = sign + text[sign.Length..].PadLeft(w - sign.Length, '0');
                }
                else text = text.PadLeft(w);
            }
            sb.Append(text);
        }
        // Every positional value must be used, except that a mapping may be given to a format without conversions.
        if (!usedMapping && next < positional.Count && !(mapping is not null && next == 0))
            throw JinjaException.TypeError("not all arguments converted during string formatting");
        return sb.ToString();
    }

    static int? ReadNumber(string format, ref int i)
    {
        if (i < format.Length && format[i] == '*') throw JinjaException.Unsupported("A '*' width in printf-style formatting");
        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i])) i++;
        return i > start ? int.Parse(format[start..i], CultureInfo.InvariantCulture) : null;
    }

    static long Integer(object? value) => value switch
    {
        double d when double.IsFinite(d) => (long)Math.Truncate(d),
        long or bool => PythonTypes.AsLong(value),
        _ => throw JinjaException.TypeError($"%d format: a real number is required, not {PythonTypes.NameOf(value)}"),
    };

    static string Fixed(object? value, int precision, char conversion)
    {
        if (!PythonTypes.IsNumber(value)) throw JinjaException.TypeError($"must be real number, not {PythonTypes.NameOf(value)}");
        var d = PythonTypes.AsDouble(value);
        if (double.IsNaN(d)) return conversion == 'F' ? "NAN" : "nan";
        if (double.IsInfinity(d)) return (d < 0 ? "-" : "") + (conversion == 'F' ? "INF" : "inf");
        return d.ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    static JinjaException Error(string message) => new(JinjaErrorKind.Runtime, message);
}
