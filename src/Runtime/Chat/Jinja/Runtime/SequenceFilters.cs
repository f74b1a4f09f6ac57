using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// jinja2's filters on sequences and mappings. Those that are generators in jinja2 (<c>select</c>, <c>map</c>,
/// <c>unique</c>, <c>batch</c>, <c>items</c>, <c>reverse</c> of a list…) return a one-shot <see cref="PyIterator"/>, so
/// that <c>|length</c> after them fails and <c>|list</c> is needed, exactly as in jinja2.
/// </summary>
internal static class SequenceFilters
{
    public static void Register(JinjaEnvironment env)
    {
        env.AddFilter("length", (_, v, a) => TextFilters.NoArguments(a, "len", PythonOps.Length(v)));
        env.AddFilter("count", (_, v, a) => TextFilters.NoArguments(a, "len", PythonOps.Length(v)));
        env.AddFilter("list", (_, v, a) => TextFilters.NoArguments(a, "sync_do_list", PythonOps.Iterate(v).ToList()));
        env.AddFilter("first", (_, v, a) =>
        {
            a.Bind("sync_do_first");
            foreach (var item in PythonOps.Iterate(v)) return item;
            return Undefined.WithHint("No first item, sequence was empty.");
        });
        env.AddFilter("last", (_, v, a) =>
        {
            a.Bind("do_last");
            var reversed = Reversed(v);
            foreach (var item in reversed) return item;
            return Undefined.WithHint("No last item, sequence was empty.");
        });
        env.AddFilter("default", Default);
        env.AddFilter("d", Default);
        env.AddFilter("join", (_, v, a) =>
        {
            var p = a.Bind("sync_do_join", ("d", ""), ("attribute", null));
            var items = PythonOps.Iterate(v);
            if (p[1] is not null) items = items.Select(AttributeGetter(p[1]));
            return string.Join(PythonRepr.Str(p[0]), items.Select(PythonRepr.Str));
        });
        env.AddFilter("items", (_, v, a) =>
        {
            a.Bind("do_items");
            return v switch
            {
                Undefined => new PyIterator([], "generator"),
                PyDict dict => new PyIterator(dict.Pairs.Select(p => (object?)new PyTuple([p.Key, p.Value])), "generator"),
                _ => throw JinjaException.TypeError("Can only get item pairs from a mapping."),
            };
        });
        env.AddFilter("dictsort", (_, v, a) =>
        {
            var p = a.Bind("do_dictsort", ("case_sensitive", false), ("by", "key"), ("reverse", false));
            var position = p[1] switch
            {
                "key" => 0,
                "value" => 1,
                _ => throw new JinjaException(JinjaErrorKind.Runtime, "You can only sort by either \"key\" or \"value\""),
            };
            if (v is not PyDict dict) throw JinjaException.TypeError($"'{PythonTypes.NameOf(v)}' object has no attribute 'items'");
            var pairs = dict.Pairs.Select(pair => new PyTuple([pair.Key, pair.Value])).ToList();
            var caseSensitive = PythonOps.Truthy(p[0]);
            return Sorting.StableSort(pairs, pair => CaseKey(pair[position], caseSensitive), PythonOps.Truthy(p[2])).Cast<object?>().ToList();
        });
        env.AddFilter("sort", (_, v, a) =>
        {
            var p = a.Bind("do_sort", ("reverse", false), ("case_sensitive", false), ("attribute", null));
            var items = PythonOps.Iterate(v).ToList();
            var getters = MultiAttributeGetter(p[2]);
            var caseSensitive = PythonOps.Truthy(p[1]);
            return Sorting.StableSort(items, item => new PyTuple(getters.Select(g => CaseKey(g(item), caseSensitive)).ToList()), PythonOps.Truthy(p[0]));
        });
        env.AddFilter("unique", (_, v, a) =>
        {
            var p = a.Bind("do_unique", ("case_sensitive", false), ("attribute", null));
            var getter = AttributeGetter(p[1]);
            var caseSensitive = PythonOps.Truthy(p[0]);
            return new PyIterator(Unique(PythonOps.Iterate(v), item => CaseKey(getter(item), caseSensitive)), "generator");
        });
        env.AddFilter("reverse", (_, v, a) =>
        {
            a.Bind("do_reverse");
            if (v is string s) return string.Concat(PythonText.CodePoints(s).Reverse());
            if (v is PyIterator) return PythonOps.Iterate(v).Reverse().ToList();
            return new PyIterator(Reversed(v), "list_reverseiterator");
        });
        env.AddFilter("batch", (_, v, a) =>
        {
            var p = a.Bind("do_batch", ("linecount", Arguments.Required), ("fill_with", null));
            return new PyIterator(Batch(PythonOps.Iterate(v), PythonTypes.AsLong(p[0]), p[1]), "generator");
        });
        env.AddFilter("slice", (_, v, a) =>
        {
            var p = a.Bind("sync_do_slice", ("slices", Arguments.Required), ("fill_with", null));
            return new PyIterator(Slice(PythonOps.Iterate(v).ToList(), PythonTypes.AsLong(p[0]), p[1]), "generator");
        });
        env.AddFilter("sum", (_, v, a) =>
        {
            var p = a.Bind("sync_do_sum", ("attribute", null), ("start", 0L));
            var items = PythonOps.Iterate(v);
            if (p[0] is not null) items = items.Select(AttributeGetter(p[0]));
            return items.Aggregate(p[1], (total, item) => PythonArithmetic.Binary("+", total, item));
        });
        env.AddFilter("min", (_, v, a) => MinMax(v, a, "do_min", wantMax: false));
        env.AddFilter("max", (_, v, a) => MinMax(v, a, "do_max", wantMax: true));
        env.AddFilter("map", (interpreter, v, a) => new PyIterator(Map(interpreter, v, a), "generator"));
        env.AddFilter("select", (interpreter, v, a) => SelectOrReject(interpreter, v, a, attribute: false, keep: true));
        env.AddFilter("reject", (interpreter, v, a) => SelectOrReject(interpreter, v, a, attribute: false, keep: false));
        env.AddFilter("selectattr", (interpreter, v, a) => SelectOrReject(interpreter, v, a, attribute: true, keep: true));
        env.AddFilter("rejectattr", (interpreter, v, a) => SelectOrReject(interpreter, v, a, attribute: true, keep: false));
        env.AddFilter("attr", (_, v, a) => Access.GetAttributeOnly(v, PythonRepr.Str(a.Bind("do_attr", ("name", Arguments.Required))[0])));
    }

    static object? Default(Interpreter _, object? value, Arguments a)
    {
        var p = a.Bind("do_default", ("default_value", ""), ("boolean", false));
        return value is Undefined || (PythonOps.Truthy(p[1]) && !PythonOps.Truthy(value)) ? p[0] : value;
    }

    static object? CaseKey(object? value, bool caseSensitive) => !caseSensitive && value is string s ? PythonText.Lower(s) : value;

    /// <summary>Python's <c>reversed()</c>: sequences back to front; undefined is empty; anything else is not reversible.</summary>
    static IEnumerable<object?> Reversed(object? value) => value switch
    {
        List<object?> or PyTuple or PyRange or string or PyDict or DictView => PythonOps.Iterate(value).Reverse(),
        Undefined => [],
        _ => throw JinjaException.TypeError($"'{PythonTypes.NameOf(value)}' object is not reversible"),
    };

    /// <summary>jinja2's attribute path (<c>"a.b.0"</c>: dotted, integer parts as indexes) read with item-first access.</summary>
    static Func<object?, object?> AttributeGetter(object? attribute, object? fallback = null)
    {
        var parts = AttributeParts(attribute);
        return item =>
        {
            foreach (var part in parts)
            {
                item = Access.GetItem(item, part);
                if (fallback is not null && item is Undefined) item = fallback;
            }
            return item;
        };
    }

    static List<Func<object?, object?>> MultiAttributeGetter(object? attribute) =>
        attribute is string s ? s.Split(',').Select(part => AttributeGetter(part)).ToList() : [AttributeGetter(attribute)];

    static List<object?> AttributeParts(object? attribute) => attribute switch
    {
        null => [],
        string s => s.Split('.').Select(part => part.Length > 0 && part.All(char.IsAsciiDigit) ? (object?)long.Parse(part, System.Globalization.CultureInfo.InvariantCulture) : part).ToList(),
        _ => [attribute],
    };

    static IEnumerable<object?> Unique(IEnumerable<object?> items, Func<object?, object?> key)
    {
        var seen = new PyDict();
        foreach (var item in items)
        {
            var k = key(item);
            if (seen.ContainsKey(k)) continue;
            seen.Set(k, null);
            yield return item;
        }
    }

    static IEnumerable<object?> Batch(IEnumerable<object?> items, long size, object? fill)
    {
        var current = new List<object?>();
        foreach (var item in items)
        {
            if (current.Count == size)
            {
                yield return current;
                current = [];
            }
            current.Add(item);
        }
        if (current.Count == 0) yield break;
        if (fill is not null) while (current.Count < size) current.Add(fill);
        yield return current;
    }

    static IEnumerable<object?> Slice(List<object?> items, long slices, object? fill)
    {
        var perSlice = items.Count / slices;
        var withExtra = items.Count % slices;
        var offset = 0L;
        for (long i = 0; i < slices; i++)
        {
            var start = offset + i * perSlice;
            if (i < withExtra) offset++;
            var end = offset + (i + 1) * perSlice;
            var chunk = items.Skip((int)start).Take((int)(end - start)).ToList();
            if (fill is not null && i >= withExtra) chunk.Add(fill);
            yield return chunk;
        }
    }

    static object? MinMax(object? value, Arguments a, string function, bool wantMax)
    {
        var p = a.Bind(function, ("case_sensitive", false), ("attribute", null));
        var items = PythonOps.Iterate(value).ToList();
        if (items.Count == 0) return Undefined.WithHint("No aggregated item, sequence was empty.");
        var getter = AttributeGetter(p[1]);
        var caseSensitive = PythonOps.Truthy(p[0]);
        var best = items[0];
        var bestKey = CaseKey(getter(best), caseSensitive);
        foreach (var item in items.Skip(1))
        {
            var key = CaseKey(getter(item), caseSensitive);
            var order = PythonOps.Compare(key, bestKey, wantMax ? ">" : "<");
            if (order != PythonOps.NaNOrder && (wantMax ? order > 0 : order < 0)) (best, bestKey) = (item, key);
        }
        return best;
    }

    static IEnumerable<object?> Map(Interpreter interpreter, object? value, Arguments a)
    {
        if (!PythonOps.Truthy(value)) yield break;
        Func<object?, object?> function;
        if (a.Positional.Count == 0 && a.Keywords.Any(k => k.Key == "attribute"))
        {
            var unexpected = a.Keywords.FirstOrDefault(k => k.Key is not ("attribute" or "default"));
            if (unexpected.Key is not null) throw new JinjaException(JinjaErrorKind.Runtime, $"Unexpected keyword argument '{unexpected.Key}'");
            var fallback = a.Keywords.FirstOrDefault(k => k.Key == "default").Value;
            function = AttributeGetter(a.Keywords.First(k => k.Key == "attribute").Value, fallback);
        }
        else
        {
            if (a.Positional.Count == 0) throw new JinjaException(JinjaErrorKind.Runtime, "map requires a filter argument");
            var name = PythonRepr.Str(a.Positional[0]);
            var rest = new Arguments(a.Positional.Skip(1).ToList(), a.Keywords);
            function = item => interpreter.Environment.Filter(interpreter, name, item, rest);
        }
        foreach (var item in PythonOps.Iterate(value)) yield return function(item);
    }

    static PyIterator SelectOrReject(Interpreter interpreter, object? value, Arguments a, bool attribute, bool keep)
    {
        IEnumerable<object?> Run()
        {
            if (!PythonOps.Truthy(value)) yield break;
            Func<object?, object?> transform = x => x;
            var offset = 0;
            if (attribute)
            {
                if (a.Positional.Count == 0) throw new JinjaException(JinjaErrorKind.Runtime, "Missing parameter for attribute name");
                transform = AttributeGetter(a.Positional[0]);
                offset = 1;
            }
            Func<object?, bool> test = PythonOps.Truthy;
            if (a.Positional.Count > offset)
            {
                var name = PythonRepr.Str(a.Positional[offset]);
                var rest = new Arguments(a.Positional.Skip(offset + 1).ToList(), a.Keywords);
                test = x => interpreter.Environment.Test(interpreter, name, x, rest);
            }
            foreach (var item in PythonOps.Iterate(value))
                if (test(transform(item)) == keep) yield return item;
        }
        return new PyIterator(Run(), "generator");
    }
}
