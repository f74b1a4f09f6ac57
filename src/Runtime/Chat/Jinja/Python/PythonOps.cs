using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>Python's semantics for truth, equality, hashing, ordering, membership, length and iteration of template values.</summary>
internal static class PythonOps
{
    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        PyTuple tuple => tuple.Count > 0,
        PyDict dict => dict.Count > 0,
        PyRange range => range.Length > 0,
        DictView view => view.Count > 0,
        Undefined => false,
        LoopContext loop => loop.Length > 0,
        _ => true,
    };

    public static bool Equal(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (PythonTypes.IsNumber(a) && PythonTypes.IsNumber(b))
        {
            if (a is double || b is double) return PythonTypes.AsDouble(a) == PythonTypes.AsDouble(b);
            return PythonTypes.AsLong(a) == PythonTypes.AsLong(b);
        }
        switch (a)
        {
            case string sa: return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
            case List<object?> la: return b is List<object?> lb && SequenceEqual(la, lb);
            case PyTuple ta: return b is PyTuple tb && SequenceEqual(ta, tb);
            case PyDict da:
                if (b is not PyDict db || da.Count != db.Count) return false;
                foreach (var (key, value) in da.Pairs)
                    if (!db.TryGet(key, out var other) || !Equal(value, other)) return false;
                return true;
            case PyRange ra: return b is PyRange rb && RangeEqual(ra, rb);
            case Undefined: return b is Undefined;
            default: return ReferenceEquals(a, b);
        }
    }

    static bool SequenceEqual(IReadOnlyList<object?> a, IReadOnlyList<object?> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
            if (!Equal(a[i], b[i])) return false;
        return true;
    }

    static bool RangeEqual(PyRange a, PyRange b)
    {
        if (a.Length != b.Length) return false;
        if (a.Length == 0) return true;
        return a.Start == b.Start && (a.Length == 1 || a.Step == b.Step);
    }

    /// <summary>A hash consistent with <see cref="Equal"/>; unhashable values raise Python's TypeError.</summary>
    public static int Hash(object? value) => value switch
    {
        null => 0,
        bool b => b ? 1 : 0,
        long l => l.GetHashCode(),
        double d => d == Math.Floor(d) && Math.Abs(d) < 9.2e18 ? ((long)d).GetHashCode() : d.GetHashCode(),
        string s => StringComparer.Ordinal.GetHashCode(s),
        PyTuple t => t.Aggregate(17, (h, item) => unchecked(h * 31 + Hash(item))),
        List<object?> or PyDict or DictView or Undefined => throw JinjaException.TypeError($"unhashable type: '{PythonTypes.NameOf(value)}'"),
        _ => value.GetHashCode(),
    };

    /// <summary>Python's ordering (<c>&lt;</c>): numbers, strings by code point, and sequences element by element.</summary>
    public static int Compare(object? a, object? b, string op = "<")
    {
        if (a is Undefined u) throw u.Error();
        if (b is Undefined v) throw v.Error();
        if (PythonTypes.IsNumber(a) && PythonTypes.IsNumber(b))
        {
            if (a is double || b is double)
            {
                var (x, y) = (PythonTypes.AsDouble(a), PythonTypes.AsDouble(b));
                return x < y ? -1 : x > y ? 1 : x == y ? 0 : NaNOrder;
            }
            return PythonTypes.AsLong(a).CompareTo(PythonTypes.AsLong(b));
        }
        if (a is string sa && b is string sb) return PythonText.CompareCodePoints(sa, sb);
        if (a is List<object?> la && b is List<object?> lb) return CompareSequences(la, lb, op);
        if (a is PyTuple ta && b is PyTuple tb) return CompareSequences(ta, tb, op);
        throw JinjaException.TypeError($"'{op}' not supported between instances of '{PythonTypes.NameOf(a)}' and '{PythonTypes.NameOf(b)}'");
    }

    // Every ordered comparison with NaN is false; callers test the sign, so NaN gets a value no test accepts.
    public const int NaNOrder = int.MinValue;

    static int CompareSequences(IReadOnlyList<object?> a, IReadOnlyList<object?> b, string op)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
            if (!Equal(a[i], b[i])) return Compare(a[i], b[i], op);
        return a.Count.CompareTo(b.Count);
    }

    /// <summary>Evaluates one comparison operator of a chain.</summary>
    public static bool CompareWith(string op, object? a, object? b)
    {
        switch (op)
        {
            case "==": return Equal(a, b);
            case "!=": return !Equal(a, b);
            case "in": return Contains(b, a);
            case "notin": return !Contains(b, a);
        }
        var order = Compare(a, b, op);
        if (order == NaNOrder) return false;
        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    /// <summary>Python's <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item) => container switch
    {
        string s when item is string needle => s.Contains(needle, StringComparison.Ordinal),
        string => throw JinjaException.TypeError($"'in <string>' requires string as left operand, not {PythonTypes.NameOf(item)}"),
        PyDict dict => dict.ContainsKey(item),
        DictView { Kind: DictViewKind.Keys } view => view.Items().Any(k => Equal(k, item)),
        PyRange range => PythonTypes.IsInt(item) && RangeContains(range, PythonTypes.AsLong(item)),
        _ => Iterate(container, "argument of type '{0}' is not iterable").Any(x => Equal(x, item)),
    };

    static bool RangeContains(PyRange range, long value)
    {
        if (range.Step > 0 ? value < range.Start || value >= range.Stop : value > range.Start || value <= range.Stop) return false;
        return (value - range.Start) % range.Step == 0;
    }

    /// <summary>Python's <c>len()</c>.</summary>
    public static long Length(object? value) => value switch
    {
        string s => PythonText.CodePointCount(s),
        List<object?> list => list.Count,
        PyTuple tuple => tuple.Count,
        PyDict dict => dict.Count,
        PyRange range => range.Length,
        DictView view => view.Count,
        Undefined => 0,
        LoopContext loop => loop.Length,
        _ => throw JinjaException.TypeError($"object of type '{PythonTypes.NameOf(value)}' has no len()"),
    };

    /// <summary>Python's <c>iter()</c>: dicts give keys, strings give characters, undefined gives nothing.</summary>
    public static IEnumerable<object?> Iterate(object? value, string error = "'{0}' object is not iterable") => value switch
    {
        List<object?> list => list,
        PyTuple tuple => tuple,
        string s => PythonText.CodePoints(s),
        PyDict dict => dict.Keys,
        PyRange range => RangeItems(range),
        DictView view => view.Items(),
        PyIterator iterator => iterator.Consume(),
        Undefined => [],
        _ => throw JinjaException.TypeError(string.Format(System.Globalization.CultureInfo.InvariantCulture, error, PythonTypes.NameOf(value))),
    };

    static IEnumerable<object?> RangeItems(PyRange range)
    {
        for (long i = 0; i < range.Length; i++) yield return range[i];
    }

    /// <summary>The length when Python knows it without iterating (what jinja2's loop uses), else null.</summary>
    public static long? KnownLength(object? value) => value is PyIterator ? null : Length(value);
}
