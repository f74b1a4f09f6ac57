using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelDsl.Chat.Jinja;

/// <summary>jinja2's filters on text and numbers, with jinja2's parameter names and defaults.</summary>
internal static partial class TextFilters
{
    public static void Register(JinjaEnvironment env)
    {
        env.AddFilter("trim", (_, v, a) =>
        {
            var p = a.Bind("do_trim", ("chars", null));
            return PythonText.Strip(PythonRepr.Str(v), p[0] is null ? null : PythonRepr.Str(p[0]));
        });
        env.AddFilter("lower", (_, v, a) => NoArguments(a, "do_lower", PythonText.Lower(PythonRepr.Str(v))));
        env.AddFilter("upper", (_, v, a) => NoArguments(a, "do_upper", PythonText.Upper(PythonRepr.Str(v))));
        env.AddFilter("capitalize", (_, v, a) => NoArguments(a, "do_capitalize", PythonText.Capitalize(PythonRepr.Str(v))));
        env.AddFilter("title", (_, v, a) => NoArguments(a, "do_title", Title(PythonRepr.Str(v))));
        env.AddFilter("string", (_, v, a) => NoArguments(a, "soft_str", PythonRepr.Str(v)));
        env.AddFilter("safe", (_, v, a) => NoArguments(a, "do_mark_safe", PythonRepr.Str(v)));
        env.AddFilter("replace", (_, v, a) =>
        {
            var p = a.Bind("do_replace", ("old", Arguments.Required), ("new", Arguments.Required), ("count", null));
            var count = p[2] is null ? -1 : PythonTypes.AsLong(p[2]);
            return PythonText.Replace(PythonRepr.Str(v), PythonRepr.Str(p[0]), PythonRepr.Str(p[1]), count);
        });
        env.AddFilter("indent", (_, v, a) =>
        {
            var p = a.Bind("do_indent", ("width", 4L), ("first", false), ("blank", false));
            return Indent(v, p[0], PythonOps.Truthy(p[1]), PythonOps.Truthy(p[2]));
        });
        env.AddFilter("center", (_, v, a) =>
        {
            var width = a.Bind("do_center", ("width", 80L))[0];
            return Methods.Pad(PythonRepr.Str(v), PythonTypes.AsLong(width), " ", "center");
        });
        env.AddFilter("wordcount", (_, v, a) => NoArguments(a, "do_wordcount", (long)Word().Matches(PythonRepr.Str(v)).Count));
        env.AddFilter("truncate", (_, v, a) =>
        {
            var p = a.Bind("do_truncate", ("length", 255L), ("killwords", false), ("end", "..."), ("leeway", null));
            return Truncate(PythonRepr.Str(v), PythonTypes.AsLong(p[0]), PythonOps.Truthy(p[1]), PythonRepr.Str(p[2]), p[3] is null ? 5 : PythonTypes.AsLong(p[3]));
        });
        env.AddFilter("format", (_, v, a) =>
        {
            if (a.Positional.Count > 0 && a.Keywords.Count > 0)
                throw new JinjaException(JinjaErrorKind.Runtime, "can't handle positional and keyword arguments at the same time");
            object? values = new PyTuple(a.Positional);
            if (a.Keywords.Count > 0)
            {
                var mapping = new PyDict();
                foreach (var (key, value) in a.Keywords) mapping.Set(key, value);
                values = mapping;
            }
            return PercentFormat.Apply(PythonRepr.Str(v), values);
        });
        env.AddFilter("int", (_, v, a) =>
        {
            var p = a.Bind("do_int", ("default", 0L), ("base", 10L));
            return ToInt(v, p[0], PythonTypes.AsLong(p[1]));
        });
        env.AddFilter("float", (_, v, a) =>
        {
            var fallback = a.Bind("do_float", ("default", 0.0))[0];
            return v switch
            {
                double or long or bool => PythonTypes.AsDouble(v),
                string s => PythonFloat.Parse(s) is { } d ? d : fallback,
                _ => fallback,
            };
        });
        env.AddFilter("abs", (_, v, a) => NoArguments(a, "abs", v switch
        {
            double d => (object)System.Math.Abs(d),
            long l => l == long.MinValue ? throw JinjaException.Unsupported("Integer arithmetic beyond 64 bits") : (object)System.Math.Abs(l),
            bool b => (object)(b ? 1L : 0L),
            Undefined u => throw u.Error(),
            _ => throw JinjaException.TypeError($"bad operand type for abs(): '{PythonTypes.NameOf(v)}'"),
        }));
        env.AddFilter("round", (_, v, a) =>
        {
            var p = a.Bind("do_round", ("precision", 0L), ("method", "common"));
            return Round(v, PythonTypes.AsLong(p[0]), p[1]);
        });
    }

    internal static object? NoArguments(Arguments a, string function, object? result)
    {
        a.Bind(function);
        return result;
    }

    [GeneratedRegex(@"([-\s({\[<]+)")]
    private static partial Regex WordBeginning();

    [GeneratedRegex(@"\w+")]
    private static partial Regex Word();

    /// <summary>jinja2's <c>title</c> (not Python's): capitalizes after spaces, dashes and opening brackets.</summary>
    static string Title(string s)
    {
        var sb = new StringBuilder();
        foreach (var item in WordBeginning().Split(s))
        {
            if (item.Length == 0) continue;
            var first = item[..((char.IsHighSurrogate(item[0]) && item.Length > 1) ? 2 : 1)];
            sb.Append(PythonText.Upper(first)).Append(PythonText.Lower(item[first.Length..]));
        }
        return sb.ToString();
    }

    static string Indent(object? value, object? width, bool first, bool blank)
    {
        if (value is Undefined u) throw u.Error();
        if (value is not string s) throw JinjaException.TypeError($"unsupported operand type(s) for +=: '{PythonTypes.NameOf(value)}' and 'str'");
        var indention = width is string w ? w : new string(' ', (int)System.Math.Max(0, PythonTypes.AsLong(width)));
        var lines = PythonText.SplitLines(s + "\n", keepEnds: false).Cast<string>().ToList();
        string result;
        if (blank) result = string.Join("\n" + indention, lines);
        else
        {
            result = lines[0];
            if (lines.Count > 1) result += "\n" + string.Join("\n", lines.Skip(1).Select(line => line.Length > 0 ? indention + line : line));
        }
        return first ? indention + result : result;
    }

    static string Truncate(string s, long length, bool killWords, string end, long leeway)
    {
        if (length < end.Length) throw new JinjaException(JinjaErrorKind.Runtime, $"expected length >= {end.Length}, got {length}");
        var count = PythonText.CodePointCount(s);
        if (count <= length + leeway) return s;
        var cut = s[..PythonText.Utf16Index(s, length - end.Length)];
        if (killWords) return cut + end;
        var space = cut.LastIndexOf(' ');
        return (space >= 0 ? cut[..space] : cut) + end;
    }

    static object? ToInt(object? value, object? fallback, long radix)
    {
        switch (value)
        {
            case long or bool: return PythonTypes.AsLong(value);
            case double d: return double.IsFinite(d) ? checked((long)System.Math.Truncate(d)) : double.IsNaN(d) ? fallback : throw new JinjaException(JinjaErrorKind.Runtime, "cannot convert float infinity to integer");
            case string s:
                if (PythonFloat.ParseInt(s, radix) is { } parsed) return parsed;
                // jinja2's quirk: "42.23"|int is 42, through float().
                if (PythonFloat.Parse(s) is { } f) return double.IsFinite(f) ? checked((long)System.Math.Truncate(f)) : double.IsNaN(f) ? fallback : throw new JinjaException(JinjaErrorKind.Runtime, "cannot convert float infinity to integer");
                return fallback;
            default: return fallback;
        }
    }

    static object? Round(object? value, long precision, object? method)
    {
        if (method is not ("common" or "ceil" or "floor")) throw new JinjaException(JinjaErrorKind.Runtime, "method must be common, ceil or floor");
        if (value is Undefined u) throw u.Error();
        if (method is "common")
        {
            return value switch
            {
                double d => (object)PythonFloat.Round(d, precision),
                long or bool => (object)PythonFloat.Round(PythonTypes.AsLong(value), precision),
                _ => throw JinjaException.TypeError($"type {PythonTypes.NameOf(value)} doesn't define __round__ method"),
            };
        }
        var scale = PythonArithmetic.Binary("**", 10L, precision);
        var scaled = PythonTypes.AsDouble(PythonArithmetic.Binary("*", value, scale));
        var rounded = method is "ceil" ? System.Math.Ceiling(scaled) : System.Math.Floor(scaled);
        return rounded / PythonTypes.AsDouble(scale);
    }
}
