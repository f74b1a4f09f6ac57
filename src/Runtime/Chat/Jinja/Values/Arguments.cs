using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// The evaluated arguments of a call, filter or test, and Python's rules for binding them to named parameters
/// (too many, unknown keyword, given twice, missing) with Python's error messages.
/// </summary>
internal sealed class Arguments(IReadOnlyList<object?> positional, IReadOnlyList<KeyValuePair<string, object?>> keywords)
{
    /// <summary>Marks a parameter without a default.</summary>
    public static readonly object Required = new();

    public static Arguments None { get; } = new([], []);

    public IReadOnlyList<object?> Positional { get; } = positional;

    public IReadOnlyList<KeyValuePair<string, object?>> Keywords { get; } = keywords;

    public static Arguments Of(params object?[] positional) => new(positional, []);

    /// <summary>The same arguments with <paramref name="first"/> put in front (a filter's or test's value).</summary>
    public Arguments Prepend(object? first) => new([first, .. Positional], Keywords);

    /// <summary>Binds to parameters given as (name, default) pairs; use <see cref="Required"/> for no default.</summary>
    public object?[] Bind(string function, params (string Name, object? Default)[] parameters)
    {
        if (Positional.Count > parameters.Length)
        {
            var required = parameters.Count(p => p.Default == Required);
            var takes = required == parameters.Length ? $"{parameters.Length}" : $"from {required} to {parameters.Length}";
            throw JinjaException.TypeError($"{function}() takes {takes} positional argument{(parameters.Length == 1 ? "" : "s")} but {Positional.Count} were given");
        }
        var values = new object?[parameters.Length];
        var set = new bool[parameters.Length];
        for (var i = 0; i < Positional.Count; i++) (values[i], set[i]) = (Positional[i], true);
        foreach (var (name, value) in Keywords)
        {
            var index = Array.FindIndex(parameters, p => p.Name == name);
            if (index < 0) throw JinjaException.TypeError($"{function}() got an unexpected keyword argument '{name}'");
            if (set[index]) throw JinjaException.TypeError($"{function}() got multiple values for argument '{name}'");
            (values[index], set[index]) = (value, true);
        }
        for (var i = 0; i < parameters.Length; i++)
        {
            if (set[i]) continue;
            if (parameters[i].Default == Required)
                throw JinjaException.TypeError($"{function}() missing 1 required positional argument: '{parameters[i].Name}'");
            values[i] = parameters[i].Default;
        }
        return values;
    }

    /// <summary>Refuses keyword arguments for functions that take only positional ones.</summary>
    public void NoKeywords(string function)
    {
        if (Keywords.Count > 0) throw JinjaException.TypeError($"{function}() takes no keyword arguments");
    }
}
