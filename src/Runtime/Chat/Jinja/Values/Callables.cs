using System;

namespace ModelDsl.Chat.Jinja;

/// <summary>Anything a template can call: globals, methods of values, macros, <c>caller</c>, <c>loop.cycle</c>.</summary>
internal interface ICallable
{
    /// <summary>The name used in error messages (<c>str.startswith</c>, <c>raise_exception</c>, a macro's name).</summary>
    string Name { get; }

    object? Call(Interpreter interpreter, Arguments arguments);
}

/// <summary>A callable implemented in C#.</summary>
internal sealed class BuiltinFunction(string name, Func<Interpreter, Arguments, object?> body) : ICallable
{
    public string Name { get; } = name;

    public object? Call(Interpreter interpreter, Arguments arguments) => body(interpreter, arguments);

    /// <summary>A callable that exists in Python/jinja2 but is not implemented here: calling it is refused by name.</summary>
    public static BuiltinFunction NotImplemented(string name) =>
        new(name, (_, _) => throw JinjaException.Unsupported($"'{name}'"));
}
