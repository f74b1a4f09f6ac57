using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>jinja2's default globals: <c>range</c> (with the sandbox's size limit), <c>dict</c>, <c>namespace</c> and
/// <c>joiner</c>; <c>cycler</c> and <c>lipsum</c> exist but are refused when called.</summary>
internal static class BuiltinGlobals
{
    const long MaxRange = 100_000;

    public static void Register(JinjaEnvironment env)
    {
        env.AddGlobal("range", new BuiltinFunction("range", (_, a) => Range(a)));
        env.AddGlobal("dict", new BuiltinFunction("dict", (_, a) => Dict(a)));
        env.AddGlobal("namespace", new BuiltinFunction("namespace", (_, a) =>
        {
            var ns = new Namespace();
            foreach (var (key, value) in Dict(a).Pairs) ns.Attributes.Set(key, value);
            return ns;
        }));
        env.AddGlobal("joiner", new BuiltinFunction("joiner", (_, a) =>
        {
            var separator = a.Bind("Joiner", ("sep", ", "))[0];
            var used = false;
            return new BuiltinFunction("joiner", (_, _) =>
            {
                if (used) return separator;
                used = true;
                return "";
            });
        }));
        env.AddGlobal("cycler", BuiltinFunction.NotImplemented("cycler"));
        env.AddGlobal("lipsum", BuiltinFunction.NotImplemented("lipsum"));
    }

    static PyRange Range(Arguments a)
    {
        a.NoKeywords("range");
        var n = a.Positional.Select(PythonTypes.AsLong).ToArray();
        var range = n.Length switch
        {
            1 => new PyRange(0, n[0], 1),
            2 => new PyRange(n[0], n[1], 1),
            3 => n[2] == 0 ? throw new JinjaException(JinjaErrorKind.Runtime, "range() arg 3 must not be zero") : new PyRange(n[0], n[1], n[2]),
            _ => throw JinjaException.TypeError($"range expected at most 3 arguments, got {n.Length}"),
        };
        if (range.Length > MaxRange)
            throw new JinjaException(JinjaErrorKind.Runtime, $"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
        return range;
    }

    /// <summary>Python's <c>dict(mapping_or_pairs, **kwargs)</c>.</summary>
    static PyDict Dict(Arguments a)
    {
        if (a.Positional.Count > 1) throw JinjaException.TypeError($"dict expected at most 1 argument, got {a.Positional.Count}");
        var dict = new PyDict();
        if (a.Positional.Count == 1)
        {
            if (a.Positional[0] is PyDict source)
                foreach (var (key, value) in source.Pairs) dict.Set(key, value);
            else
                foreach (var pair in PythonOps.Iterate(a.Positional[0]))
                {
                    var items = PythonOps.Iterate(pair, "cannot convert dictionary update sequence element #0 to a sequence").ToList();
                    if (items.Count != 2) throw new JinjaException(JinjaErrorKind.Runtime, $"dictionary update sequence element #0 has length {items.Count}; 2 is required");
                    dict.Set(items[0], items[1]);
                }
        }
        foreach (var (key, value) in a.Keywords) dict.Set(key, value);
        return dict;
    }
}
