using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>A filter: the value left of <c>|</c> and the call's arguments.</summary>
internal delegate object? FilterFunction(Interpreter interpreter, object? value, Arguments arguments);

/// <summary>A test: the value left of <c>is</c> and the test's arguments.</summary>
internal delegate bool TestFunction(Interpreter interpreter, object? value, Arguments arguments);

/// <summary>
/// The filters, tests and globals templates see, like a jinja2 <c>Environment</c>. It starts with jinja2's built-ins;
/// names jinja2 has but this engine does not implement are still known (a template naming them parses, as in jinja2)
/// and are refused by name when used. Names jinja2 does not know are errors when the template is parsed.
/// </summary>
internal sealed class JinjaEnvironment
{
    // Every built-in filter and test of jinja2 3.1, so a template's names are judged as jinja2 judges them.
    static readonly HashSet<string> JinjaFilters =
    [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "filesizeformat",
        "first", "float", "forceescape", "format", "groupby", "indent", "int", "join", "last", "length", "list", "lower",
        "items", "map", "min", "max", "pprint", "random", "reject", "rejectattr", "replace", "reverse", "round", "safe",
        "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "trim", "truncate", "unique",
        "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr", "tojson",
    ];

    static readonly HashSet<string> JinjaTests =
    [
        "odd", "even", "divisibleby", "defined", "undefined", "filter", "test", "none", "boolean", "false", "true",
        "integer", "float", "lower", "upper", "string", "mapping", "number", "sequence", "iterable", "callable", "sameas",
        "escaped", "in", "==", "eq", "equalto", "!=", "ne", ">", "gt", "greaterthan", "ge", ">=", "<", "lt", "lessthan",
        "<=", "le",
    ];

    readonly Dictionary<string, FilterFunction> _filters = new(System.StringComparer.Ordinal);
    readonly Dictionary<string, TestFunction> _tests = new(System.StringComparer.Ordinal);
    readonly Dictionary<string, object?> _globals = new(System.StringComparer.Ordinal);

    public JinjaEnvironment()
    {
        TextFilters.Register(this);
        SequenceFilters.Register(this);
        BuiltinTests.Register(this);
        BuiltinGlobals.Register(this);
    }

    /// <summary>jinja2's <c>trim_blocks</c>: drop the first newline after a block or comment tag.</summary>
    public bool TrimBlocks { get; init; } = true;

    /// <summary>jinja2's <c>lstrip_blocks</c>: drop whitespace before a block or comment tag that starts a line.</summary>
    public bool LStripBlocks { get; init; } = true;

    public void AddFilter(string name, FilterFunction filter) => _filters[name] = filter;

    public void AddTest(string name, TestFunction test) => _tests[name] = test;

    public void AddGlobal(string name, object? value) => _globals[name] = value;

    public bool IsKnownFilter(string name) => _filters.ContainsKey(name) || JinjaFilters.Contains(name);

    public bool IsKnownTest(string name) => _tests.ContainsKey(name) || JinjaTests.Contains(name);

    public object? Filter(Interpreter interpreter, string name, object? value, Arguments arguments)
    {
        if (_filters.TryGetValue(name, out var filter)) return filter(interpreter, value, arguments);
        if (JinjaFilters.Contains(name)) throw JinjaException.Unsupported($"The '{name}' filter");
        throw new JinjaException(JinjaErrorKind.Runtime, $"No filter named '{name}'.");
    }

    public bool Test(Interpreter interpreter, string name, object? value, Arguments arguments)
    {
        if (_tests.TryGetValue(name, out var test)) return test(interpreter, value, arguments);
        if (JinjaTests.Contains(name)) throw JinjaException.Unsupported($"The '{name}' test");
        throw new JinjaException(JinjaErrorKind.Runtime, $"No test named '{name}'.");
    }

    /// <summary>A scope holding the globals, under which a render's variables go.</summary>
    public Scope CreateGlobalScope()
    {
        var scope = new Scope(null);
        foreach (var (name, value) in _globals) scope.Set(name, value);
        return scope;
    }
}
