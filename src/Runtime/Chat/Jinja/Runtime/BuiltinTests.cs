using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>jinja2's tests (<c>x is defined</c>, <c>x is string</c>, <c>x is divisibleby 3</c>…) with Python's type rules.</summary>
internal static class BuiltinTests
{
    public static void Register(JinjaEnvironment env)
    {
        Unary(env, "defined", v => v is not Undefined);
        Unary(env, "undefined", v => v is Undefined);
        Unary(env, "none", v => v is null);
        Unary(env, "boolean", v => v is bool);
        Unary(env, "true", v => v is true);
        Unary(env, "false", v => v is false);
        Unary(env, "integer", v => v is long);
        Unary(env, "float", v => v is double);
        Unary(env, "number", PythonTypes.IsNumber);
        Unary(env, "string", v => v is string);
        Unary(env, "mapping", v => v is PyDict);
        Unary(env, "callable", v => v is ICallable);
        // Python's len() plus __getitem__: dicts and undefined (which defines both) count, views and iterators do not.
        Unary(env, "sequence", v => v is string or List<object?> or PyTuple or PyDict or PyRange or Undefined);
        Unary(env, "iterable", v => v is string or List<object?> or PyTuple or PyDict or PyRange or DictView or PyIterator or Undefined or LoopContext);
        Unary(env, "lower", v => PythonText.IsLower(PythonRepr.Str(v)));
        Unary(env, "upper", v => PythonText.IsUpper(PythonRepr.Str(v)));
        Unary(env, "odd", v => PythonOps.Equal(PythonArithmetic.Binary("%", v, 2L), 1L));
        Unary(env, "even", v => PythonOps.Equal(PythonArithmetic.Binary("%", v, 2L), 0L));
        Binary(env, "divisibleby", "num", (v, n) => PythonOps.Equal(PythonArithmetic.Binary("%", v, n), 0L));
        Binary(env, "in", "seq", (v, seq) => PythonOps.Contains(seq, v));
        foreach (var (names, op) in new[]
                 {
                     (new[] { "==", "eq", "equalto" }, "=="), (["!=", "ne"], "!="), ([">", "gt", "greaterthan"], ">"),
                     ([">=", "ge"], ">="), (["<", "lt", "lessthan"], "<"), (["<=", "le"], "<="),
                 })
            foreach (var name in names) Binary(env, name, "b", (v, other) => PythonOps.CompareWith(op, v, other));
        Binary(env, "sameas", "other", SameAs);
        env.AddTest("filter", (i, v, a) => Bind(a, "test_filter") && v is string s && i.Environment.IsKnownFilter(s));
        env.AddTest("test", (i, v, a) => Bind(a, "test_test") && v is string s && i.Environment.IsKnownTest(s));
    }

    static void Unary(JinjaEnvironment env, string name, System.Func<object?, bool> test) =>
        env.AddTest(name, (_, v, a) => Bind(a, $"test_{name}") && test(v));

    static void Binary(JinjaEnvironment env, string name, string parameter, System.Func<object?, object?, bool> test) =>
        env.AddTest(name, (_, v, a) => test(v, a.Bind(name, (parameter, Arguments.Required))[0]));

    static bool Bind(Arguments a, string function)
    {
        a.Bind(function);
        return true;
    }

    /// <summary><c>is sameas</c> is object identity; it is answered for None and booleans (singletons in Python) and
    /// for containers passed in or built by the template, and refused where CPython's answer depends on interning.</summary>
    static bool SameAs(object? a, object? b)
    {
        if (a is null or bool || b is null or bool) return a is null ? b is null : b is not null && a.GetType() == b.GetType() && a.Equals(b);
        if (a is long or double or string || b is long or double or string)
            throw JinjaException.Unsupported("'is sameas' on numbers and strings (CPython's answer depends on object caching)");
        return ReferenceEquals(a, b);
    }
}
