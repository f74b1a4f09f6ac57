using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// The Python methods templates call on values: <c>str</c> (strip, split, startswith, replace, format…), <c>dict</c>
/// (get, items, keys, values) and <c>list</c>/<c>tuple</c> (index, count). A Python method that is not implemented here
/// is still found (so <c>is defined</c> answers as in jinja2) but calling it is refused by name; methods that mutate
/// are the sandbox's unsafe undefined.
/// </summary>
internal static class Methods
{
    static readonly HashSet<string> StrMethods =
    [
        "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format", "format_map",
        "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric",
        "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "maketrans", "partition",
        "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split",
        "splitlines", "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill",
    ];

    static readonly HashSet<string> DictMutators = ["clear", "pop", "popitem", "setdefault", "update"];
    static readonly HashSet<string> ListMutators = ["append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"];
    static readonly HashSet<string> IntMethods = ["as_integer_ratio", "bit_count", "bit_length", "conjugate", "from_bytes", "to_bytes", "numerator", "denominator"];
    static readonly HashSet<string> FloatMethods = ["as_integer_ratio", "conjugate", "fromhex", "hex", "is_integer"];

    public static bool TryGet(object? target, string name, out object? method)
    {
        method = target switch
        {
            string s when StrMethods.Contains(name) => StrMethod(s, name),
            PyDict d when DictMutators.Contains(name) => Undefined.Unsafe(d, name),
            PyDict d when name is "get" or "items" or "keys" or "values" or "copy" => DictMethod(d, name),
            PyDict when name == "fromkeys" => BuiltinFunction.NotImplemented("dict.fromkeys"),
            List<object?> l when ListMutators.Contains(name) => Undefined.Unsafe(l, name),
            List<object?> l when name is "count" or "index" or "copy" => SequenceMethod(l, "list", name),
            PyTuple t when name is "count" or "index" => SequenceMethod(t, "tuple", name),
            PyRange r when name is "count" or "index" => SequenceMethod(PythonOps.Iterate(r).ToList(), "range", name),
            long or bool when IntMethods.Contains(name) => BuiltinFunction.NotImplemented($"int.{name}"),
            double when FloatMethods.Contains(name) => BuiltinFunction.NotImplemented($"float.{name}"),
            _ => null,
        };
        return method is not null;
    }

    static BuiltinFunction Method(string owner, string name, Func<Arguments, object?> body) => new($"{owner}.{name}", (_, args) => body(args));

    static object? DictMethod(PyDict dict, string name) => name switch
    {
        "get" => Method("dict", name, args =>
        {
            args.NoKeywords("get");
            if (args.Positional.Count is < 1 or > 2) throw JinjaException.TypeError($"get expected 1 to 2 arguments, got {args.Positional.Count}");
            return dict.TryGet(args.Positional[0], out var value) ? value : args.Positional.Count > 1 ? args.Positional[1] : null;
        }),
        "items" => Method("dict", name, args => NoArguments(args, "items", new DictView(dict, DictViewKind.Items))),
        "keys" => Method("dict", name, args => NoArguments(args, "keys", new DictView(dict, DictViewKind.Keys))),
        "values" => Method("dict", name, args => NoArguments(args, "values", new DictView(dict, DictViewKind.Values))),
        _ => Method("dict", name, args =>
        {
            var copy = new PyDict();
            foreach (var (k, v) in dict.Pairs) copy.Set(k, v);
            return NoArguments(args, "copy", copy);
        }),
    };

    static object? SequenceMethod(IReadOnlyList<object?> items, string owner, string name) => name switch
    {
        "count" => Method(owner, name, args =>
        {
            var x = One(args, "count");
            return (long)items.Count(item => PythonOps.Equal(item, x));
        }),
        "index" => Method(owner, name, args =>
        {
            args.NoKeywords("index");
            if (args.Positional.Count is < 1 or > 3) throw JinjaException.TypeError($"index expected at least 1 argument, got {args.Positional.Count}");
            var (from, to) = SequenceRange(items.Count, args.Positional.ElementAtOrDefault(1), args.Positional.ElementAtOrDefault(2));
            for (var i = from; i < to; i++)
                if (PythonOps.Equal(items[i], args.Positional[0])) return (long)i;
            throw new JinjaException(JinjaErrorKind.Runtime, owner == "list" ? $"{PythonRepr.Repr(args.Positional[0])} is not in list" : $"{owner}.index(x): x not in {owner}");
        }),
        _ => Method(owner, name, args => NoArguments(args, "copy", items.ToList())),
    };

    static (int, int) SequenceRange(int count, object? start, object? end)
    {
        int Resolve(object? v, int fallback)
        {
            if (v is null) return fallback;
            var x = PythonTypes.AsLong(v);
            if (x < 0) x = Math.Max(0, x + count);
            return (int)Math.Min(x, count);
        }
        return (Resolve(start, 0), Resolve(end, count));
    }

    static object? NoArguments(Arguments args, string name, object? result)
    {
        if (args.Positional.Count > 0 || args.Keywords.Count > 0)
            throw JinjaException.TypeError($"{name}() takes no arguments ({args.Positional.Count + args.Keywords.Count} given)");
        return result;
    }

    static object? One(Arguments args, string name)
    {
        args.NoKeywords(name);
        if (args.Positional.Count != 1) throw JinjaException.TypeError($"{name}() takes exactly one argument ({args.Positional.Count} given)");
        return args.Positional[0];
    }

    static string Str(object? value, string function, string parameter = "argument") => value as string
        ?? throw JinjaException.TypeError($"{function}() {parameter} must be str, not {PythonTypes.NameOf(value)}");

    static string? OptionalChars(Arguments args, string name)
    {
        args.NoKeywords(name);
        if (args.Positional.Count > 1) throw JinjaException.TypeError($"{name} expected at most 1 argument, got {args.Positional.Count}");
        var chars = args.Positional.Count == 0 ? null : args.Positional[0];
        return chars is null ? null : chars as string ?? throw JinjaException.TypeError($"{name} arg must be None or str");
    }

    static object? StrMethod(string s, string name) => name switch
    {
        "strip" => Method("str", name, a => PythonText.Strip(s, OptionalChars(a, name))),
        "lstrip" => Method("str", name, a => PythonText.LStrip(s, OptionalChars(a, name))),
        "rstrip" => Method("str", name, a => PythonText.RStrip(s, OptionalChars(a, name))),
        "upper" => Method("str", name, a => NoArguments(a, name, PythonText.Upper(s))),
        "lower" => Method("str", name, a => NoArguments(a, name, PythonText.Lower(s))),
        "title" => Method("str", name, a => NoArguments(a, name, PythonText.Title(s))),
        "capitalize" => Method("str", name, a => NoArguments(a, name, PythonText.Capitalize(s))),
        "swapcase" => Method("str", name, a => NoArguments(a, name, PythonText.SwapCase(s))),
        "split" or "rsplit" => Method("str", name, a =>
        {
            var v = a.Bind(name, ("sep", null), ("maxsplit", -1L));
            var separator = v[0] is null ? null : Str(v[0], name, "sep");
            var max = PythonTypes.AsLong(v[1]);
            return name == "split" ? PythonText.Split(s, separator, max) : PythonText.RSplit(s, separator, max);
        }),
        "splitlines" => Method("str", name, a => PythonText.SplitLines(s, PythonOps.Truthy(a.Bind(name, ("keepends", false))[0]))),
        "startswith" or "endswith" => Method("str", name, a => Affix(s, name, a)),
        "find" or "rfind" or "index" or "rindex" => Method("str", name, a => Find(s, name, a)),
        "count" => Method("str", name, a =>
        {
            a.NoKeywords(name);
            var sub = Str(a.Positional.ElementAtOrDefault(0), name);
            var (start, end) = PythonText.Range(s, a.Positional.ElementAtOrDefault(1), a.Positional.ElementAtOrDefault(2));
            var region = s[start..end];
            if (sub.Length == 0) return PythonText.CodePointCount(region) + 1;
            long count = 0;
            for (var i = region.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = region.IndexOf(sub, i + sub.Length, StringComparison.Ordinal)) count++;
            return count;
        }),
        "replace" => Method("str", name, a =>
        {
            a.NoKeywords(name);
            if (a.Positional.Count is < 2 or > 3) throw JinjaException.TypeError($"replace expected at least 2 arguments, got {a.Positional.Count}");
            var count = a.Positional.Count > 2 ? PythonTypes.AsLong(a.Positional[2]) : -1;
            return PythonText.Replace(s, Str(a.Positional[0], name), Str(a.Positional[1], name), count);
        }),
        "join" => Method("str", name, a =>
        {
            var items = PythonOps.Iterate(One(a, name), "can only join an iterable").ToList();
            for (var i = 0; i < items.Count; i++)
                if (items[i] is not string) throw JinjaException.TypeError($"sequence item {i}: expected str instance, {PythonTypes.NameOf(items[i])} found");
            return string.Join(s, items);
        }),
        "removeprefix" => Method("str", name, a => One(a, name) is string p && s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s),
        "removesuffix" => Method("str", name, a => One(a, name) is string p && p.Length > 0 && s.EndsWith(p, StringComparison.Ordinal) ? s[..^p.Length] : s),
        "partition" or "rpartition" => Method("str", name, a =>
        {
            var sep = Str(One(a, name), name);
            if (sep.Length == 0) throw new JinjaException(JinjaErrorKind.Runtime, "empty separator");
            var at = name == "partition" ? s.IndexOf(sep, StringComparison.Ordinal) : s.LastIndexOf(sep, StringComparison.Ordinal);
            if (at < 0) return name == "partition" ? new PyTuple([s, "", ""]) : new PyTuple(["", "", s]);
            return new PyTuple([s[..at], sep, s[(at + sep.Length)..]]);
        }),
        "center" or "ljust" or "rjust" => Method("str", name, a =>
        {
            a.NoKeywords(name);
            var width = PythonTypes.AsLong(a.Positional.ElementAtOrDefault(0) ?? throw JinjaException.TypeError($"{name} expected at least 1 argument, got 0"));
            var fill = a.Positional.Count > 1 ? Str(a.Positional[1], name) : " ";
            if (PythonText.CodePointCount(fill) != 1) throw JinjaException.TypeError("The fill character must be exactly one character long");
            return Pad(s, width, fill, name);
        }),
        "zfill" => Method("str", name, a =>
        {
            var width = PythonTypes.AsLong(One(a, name));
            var length = PythonText.CodePointCount(s);
            if (length >= width) return s;
            var sign = s.Length > 0 && s[0] is '+' or '-' ? s[..1] : "";
            return sign + new string('0', (int)(width - length)) + s[sign.Length..];
        }),
        "format" => Method("str", name, a => StrFormat.Format(s, a)),
        "isalpha" => Method("str", name, a => NoArguments(a, name, s.Length > 0 && s.All(char.IsLetter))),
        "isdigit" => Method("str", name, a => NoArguments(a, name, s.Length > 0 && s.All(char.IsDigit))),
        "isalnum" => Method("str", name, a => NoArguments(a, name, s.Length > 0 && s.All(char.IsLetterOrDigit))),
        "isspace" => Method("str", name, a => NoArguments(a, name, s.Length > 0 && s.All(PythonText.IsSpace))),
        "islower" => Method("str", name, a => NoArguments(a, name, PythonText.IsLower(s))),
        "isupper" => Method("str", name, a => NoArguments(a, name, PythonText.IsUpper(s))),
        "isascii" => Method("str", name, a => NoArguments(a, name, s.All(char.IsAscii))),
        _ => BuiltinFunction.NotImplemented($"str.{name}"),
    };

    static object Affix(string s, string name, Arguments a)
    {
        a.NoKeywords(name);
        if (a.Positional.Count is < 1 or > 3) throw JinjaException.TypeError($"{name}() takes at least 1 argument ({a.Positional.Count} given)");
        var (start, end) = PythonText.Range(s, a.Positional.ElementAtOrDefault(1), a.Positional.ElementAtOrDefault(2));
        var region = s[start..end];
        var candidates = a.Positional[0] switch
        {
            string one => [one],
            PyTuple tuple => tuple.Select(x => x as string ?? throw JinjaException.TypeError($"tuple for {name} must only contain str, not {PythonTypes.NameOf(x)}")).ToArray(),
            var other => throw JinjaException.TypeError($"{name} first arg must be str or a tuple of str, not {PythonTypes.NameOf(other)}"),
        };
        // Python also reports a match for an empty affix only when start is within the string.
        if (PythonTypes.IsInt(a.Positional.ElementAtOrDefault(1)) && PythonTypes.AsLong(a.Positional[1]) > PythonText.CodePointCount(s)) return false;
        return candidates.Any(c => name == "startswith" ? region.StartsWith(c, StringComparison.Ordinal) : region.EndsWith(c, StringComparison.Ordinal));
    }

    static object Find(string s, string name, Arguments a)
    {
        a.NoKeywords(name);
        if (a.Positional.Count is < 1 or > 3) throw JinjaException.TypeError($"{name}() takes at least 1 argument ({a.Positional.Count} given)");
        var sub = Str(a.Positional[0], name);
        if (PythonTypes.IsInt(a.Positional.ElementAtOrDefault(1)) && PythonTypes.AsLong(a.Positional[1]) > PythonText.CodePointCount(s))
            return NotFound(name);
        var (start, end) = PythonText.Range(s, a.Positional.ElementAtOrDefault(1), a.Positional.ElementAtOrDefault(2));
        var region = s[start..end];
        var at = name is "find" or "index" ? region.IndexOf(sub, StringComparison.Ordinal) : region.LastIndexOf(sub, StringComparison.Ordinal);
        if (sub.Length == 0 && name is "rfind" or "rindex") at = region.Length;
        return at < 0 ? NotFound(name) : PythonText.CodePointIndex(s, start + at);
    }

    static object NotFound(string name) => name is "find" or "rfind" ? -1L : throw new JinjaException(JinjaErrorKind.Runtime, "substring not found");

    /// <summary>Python's <c>str.center</c>/<c>ljust</c>/<c>rjust</c> (<paramref name="name"/> says which).</summary>
    internal static string Pad(string s, long width, string fill, string name)
    {
        var length = PythonText.CodePointCount(s);
        if (width <= length) return s;
        var total = (int)(width - length);
        var (left, right) = name switch
        {
            "ljust" => (0, total),
            "rjust" => (total, 0),
            // CPython's centering puts the odd extra space on the left when the width is odd and the text even.
            _ => (total / 2 + (total & (int)width & 1), total - (total / 2 + (total & (int)width & 1))),
        };
        var sb = new StringBuilder();
        for (var i = 0; i < left; i++) sb.Append(fill);
        sb.Append(s);
        for (var i = 0; i < right; i++) sb.Append(fill);
        return sb.ToString();
    }
}
