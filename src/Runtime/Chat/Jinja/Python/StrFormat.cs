using System.Linq;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Python's <c>str.format</c> for plain replacement fields (<c>{}</c>, <c>{0}</c>, <c>{name}</c>) with optional
/// <c>!s</c>/<c>!r</c> conversion, and <c>{{</c>/<c>}}</c> escapes. Format specs and field attribute access are refused.
/// </summary>
internal static class StrFormat
{
    public static string Format(string format, Arguments arguments)
    {
        var sb = new StringBuilder();
        var automatic = 0;
        var numbering = 0; // 0 unknown, 1 automatic, 2 manual
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}') { sb.Append('}'); i++; continue; }
                throw Error("Single '}' encountered in format string");
            }
            if (c != '{') { sb.Append(c); continue; }
            if (i + 1 < format.Length && format[i + 1] == '{') { sb.Append('{'); i++; continue; }
            var close = format.IndexOf('}', i);
            if (close < 0) throw Error("Single '{' encountered in format string");
            var field = format[(i + 1)..close];
            i = close;
            var conversion = ' ';
            var bang = field.IndexOf('!');
            if (bang >= 0)
            {
                if (bang + 2 != field.Length || field[bang + 1] is not ('s' or 'r')) throw JinjaException.Unsupported($"The str.format field '{{{field}}}'");
                conversion = field[bang + 1];
                field = field[..bang];
            }
            if (field.Contains(':') || field.Contains('.') || field.Contains('[')) throw JinjaException.Unsupported($"The str.format field '{{{field}}}' (format specs and attribute access)");
            object? value;
            if (field.Length == 0 || field.All(char.IsAsciiDigit))
            {
                var manual = field.Length > 0;
                if (numbering != 0 && numbering != (manual ? 2 : 1))
                    throw Error("cannot switch between automatic field numbering and manual field specification");
                numbering = manual ? 2 : 1;
                var index = manual ? int.Parse(field, System.Globalization.CultureInfo.InvariantCulture) : automatic++;
                if (index >= arguments.Positional.Count) throw new JinjaException(JinjaErrorKind.Runtime, $"Replacement index {index} out of range for positional args tuple");
                value = arguments.Positional[index];
            }
            else
            {
                var match = arguments.Keywords.FirstOrDefault(k => k.Key == field);
                if (match.Key is null) throw new JinjaException(JinjaErrorKind.Runtime, $"KeyError: '{field}'");
                value = match.Value;
            }
            sb.Append(conversion == 'r' ? PythonRepr.Repr(value) : PythonRepr.Str(value));
        }
        return sb.ToString();
    }

    static JinjaException Error(string message) => new(JinjaErrorKind.Runtime, message);
}
