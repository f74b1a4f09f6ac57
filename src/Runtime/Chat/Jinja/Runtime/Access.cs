using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Attribute and item access as jinja2's immutable sandbox does it. <c>x.name</c> looks for an attribute first (so
/// <c>d.items</c> is the dict method) and falls back to <c>x['name']</c>; <c>x['name']</c> looks for the item first and
/// falls back to the attribute. A miss gives undefined (only undefined itself raises); methods that would change a
/// list or dict give the sandbox's "unsafe" undefined.
/// </summary>
internal static class Access
{
    public static object? GetAttribute(object? target, string name)
    {
        if (target is Undefined undefined) throw undefined.Error();
        if (TryAttribute(target, name, out var value)) return value;
        return TryItem(target, name, out value) ? value : Undefined.Member(target, name);
    }

    public static object? GetItem(object? target, object? key)
    {
        if (target is Undefined undefined) throw undefined.Error();
        if (TryItem(target, key, out var value)) return value;
        if (key is string name && TryAttribute(target, name, out value)) return value;
        return Undefined.Member(target, key);
    }

    /// <summary><c>target|attr(name)</c>: the attribute only, never the item.</summary>
    public static object? GetAttributeOnly(object? target, string name)
    {
        if (target is Undefined undefined) throw undefined.Error();
        return TryAttribute(target, name, out var value) ? value : Undefined.Member(target, name);
    }

    static bool TryAttribute(object? target, string name, out object? value)
    {
        // Python objects all have dunder attributes; the sandbox refuses every one of them.
        if (name.Length > 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal))
        {
            value = Undefined.Unsafe(target, name);
            return true;
        }
        switch (target)
        {
            case Namespace ns: return ns.Attributes.TryGet(name, out value);
            case LoopContext loop: return loop.TryGetAttribute(name, out value);
            case PyRange range when name is "start" or "stop" or "step":
                value = name == "start" ? range.Start : name == "stop" ? range.Stop : range.Step;
                return true;
            case long or bool or double when name is "real" or "imag":
                value = name == "real" ? (target is double ? target : PythonTypes.AsLong(target)) : target is double ? (object)0.0 : 0L;
                return true;
        }
        return Methods.TryGet(target, name, out value);
    }

    static bool TryItem(object? target, object? key, out object? value)
    {
        value = null;
        switch (target)
        {
            case PyDict dict:
                return IsHashable(key) && dict.TryGet(key, out value);
            case List<object?> or PyTuple or PyRange or string when PythonTypes.IsInt(key):
            {
                var length = PythonOps.Length(target);
                var index = PythonTypes.AsLong(key);
                if (index < 0) index += length;
                if (index < 0 || index >= length) return false;
                value = target switch
                {
                    List<object?> list => list[(int)index],
                    PyTuple tuple => tuple[(int)index],
                    PyRange range => range[index],
                    _ => Substring((string)target, index, index + 1),
                };
                return true;
            }
            default:
                return false;
        }
    }

    static bool IsHashable(object? key) => key is not (List<object?> or PyDict or DictView or Undefined);

    static string Substring(string s, long start, long stop) =>
        s[PythonText.Utf16Index(s, start)..PythonText.Utf16Index(s, stop)];

    /// <summary><c>target[start:stop:step]</c> with Python's index rules; a target that cannot be sliced, or indexes
    /// that are not integers, give undefined (jinja2 treats Python's TypeError as a miss).</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        if (target is Undefined undefined) throw undefined.Error();
        if (!IsIndex(start) || !IsIndex(stop) || !IsIndex(step) || target is not (List<object?> or PyTuple or string or PyRange))
            return Undefined.Member(target, "slice");
        var stepValue = step is null ? 1 : PythonTypes.AsLong(step);
        if (stepValue == 0) throw new JinjaException(JinjaErrorKind.Runtime, "slice step cannot be zero");
        var length = PythonOps.Length(target);
        var indexes = SliceIndexes(length, start, stop, stepValue);
        switch (target)
        {
            case List<object?> list: return indexes.Select(i => list[(int)i]).ToList();
            case PyTuple tuple: return new PyTuple(indexes.Select(i => tuple[(int)i]).ToList());
            case PyRange range:
                var picked = indexes.ToList();
                var first = range.Start + SliceStart(length, start, stepValue) * range.Step;
                return new PyRange(first, first + picked.Count * range.Step * stepValue, range.Step * stepValue);
            default:
                var s = (string)target;
                if (stepValue == 1)
                {
                    var (a, b) = (SliceStart(length, start, 1), Math.Max(SliceStart(length, start, 1), SliceStop(length, stop, 1)));
                    return Substring(s, a, b);
                }
                var points = PythonText.CodePointArray(s);
                return string.Concat(indexes.Select(i => points[i]));
        }
    }

    static bool IsIndex(object? value) => value is null || PythonTypes.IsInt(value);

    static IEnumerable<long> SliceIndexes(long length, object? start, object? stop, long step)
    {
        var (from, to) = (SliceStart(length, start, step), SliceStop(length, stop, step));
        if (step > 0) for (var i = from; i < to; i += step) yield return i;
        else for (var i = from; i > to; i += step) yield return i;
    }

    static long SliceStart(long length, object? start, long step) =>
        start is null ? (step < 0 ? length - 1 : 0) : Clamp(PythonTypes.AsLong(start), length, step);

    static long SliceStop(long length, object? stop, long step) =>
        stop is null ? (step < 0 ? -1 : length) : Clamp(PythonTypes.AsLong(stop), length, step);

    static long Clamp(long index, long length, long step)
    {
        if (index < 0)
        {
            index += length;
            if (index < 0) index = step < 0 ? -1 : 0;
        }
        else if (index >= length) index = step < 0 ? length - 1 : length;
        return index;
    }
}
