using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// A <c>{% macro %}</c> (or a call block's <c>caller</c>): renders its body in a new scope over the scope it was defined
/// in. As in jinja2, a missing argument is undefined, extra ones go to <c>varargs</c>/<c>kwargs</c> only if the body
/// uses those names, and a <c>caller</c> keyword is accepted only if the body uses <c>caller</c>.
/// </summary>
internal sealed class Macro : ICallable
{
    readonly Parameters _parameters;
    readonly IReadOnlyList<Stmt> _body;
    readonly Scope _closure;
    readonly bool _usesVarargs, _usesKwargs, _usesCaller;

    public Macro(string name, Parameters parameters, IReadOnlyList<Stmt> body, Scope closure)
    {
        Name = name;
        _parameters = parameters;
        _body = body;
        _closure = closure;
        _usesVarargs = NameUsage.References(body, "varargs");
        _usesKwargs = NameUsage.References(body, "kwargs");
        _usesCaller = NameUsage.References(body, "caller");
    }

    public string Name { get; }

    public object? Call(Interpreter interpreter, Arguments arguments)
    {
        var scope = new Scope(_closure);
        var names = _parameters.Names;
        var given = new bool[names.Count];
        var extraKeywords = new PyDict();
        var callerGiven = false;
        for (var i = 0; i < arguments.Positional.Count && i < names.Count; i++)
        {
            given[i] = true;
            scope.Set(names[i], arguments.Positional[i]);
        }
        foreach (var (key, value) in arguments.Keywords)
        {
            var index = names.ToList().IndexOf(key);
            if (index >= 0)
            {
                if (given[index] && index < arguments.Positional.Count)
                    throw JinjaException.TypeError($"macro '{Name}' got multiple values for argument '{key}'");
                given[index] = true;
                scope.Set(key, value);
            }
            else if (key == "caller" && _usesCaller)
            {
                callerGiven = true;
                scope.Set("caller", value);
            }
            else if (_usesKwargs) extraKeywords.Set(key, value);
            else throw JinjaException.TypeError($"macro '{Name}' takes no keyword argument '{key}'");
        }
        for (var i = 0; i < names.Count; i++)
        {
            if (given[i]) continue;
            var fallback = _parameters.DefaultOf(i);
            scope.Set(names[i], fallback is null ? Undefined.WithHint($"parameter '{names[i]}' was not provided") : interpreter.Evaluate(fallback, scope));
        }
        var extra = arguments.Positional.Skip(names.Count).ToList();
        if (extra.Count > 0 && !_usesVarargs)
            throw JinjaException.TypeError($"macro '{Name}' takes not more than {names.Count} argument(s)");
        if (_usesVarargs) scope.Set("varargs", new PyTuple(extra));
        if (_usesKwargs) scope.Set("kwargs", extraKeywords);
        if (_usesCaller && !callerGiven) scope.Set("caller", Undefined.WithHint("No caller defined"));
        return interpreter.Capture(_body, scope);
    }
}
