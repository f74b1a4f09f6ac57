using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>Python's <c>sorted()</c>: stable, ordered with Python's comparison (mixed types raise TypeError).</summary>
internal static class Sorting
{
    public static List<T> StableSort<T>(IReadOnlyList<T> items, Func<T, object?> key, bool reverse = false)
    {
        var keys = items.Select(key).ToArray();
        var order = Enumerable.Range(0, items.Count).ToArray();
        // Python's reverse=True keeps equal items in their original order; so the tie-break stays ascending.
        var comparer = Comparer<int>.Create((a, b) =>
        {
            var c = PythonOps.Compare(keys[a], keys[b]);
            if (c == PythonOps.NaNOrder) c = 0;
            if (reverse) c = -c;
            return c != 0 ? c : a.CompareTo(b);
        });
        try { Array.Sort(order, comparer); }
        catch (InvalidOperationException e) when (e.InnerException is JinjaException inner) { throw inner; }
        return order.Select(i => items[i]).ToList();
    }
}
