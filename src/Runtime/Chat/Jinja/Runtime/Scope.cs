using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Variables visible at one point of a template. jinja2 gives a new scope to each for-loop iteration, macro call,
/// caller, <c>with</c>, <c>set</c> block, filter block and <c>generation</c> block; <c>if</c> has none. Reads fall
/// through to the enclosing scope; writes stay local, so a loop body cannot change an outer variable (only a namespace).
/// </summary>
internal sealed class Scope(Scope? parent)
{
    readonly Dictionary<string, object?> _variables = new(System.StringComparer.Ordinal);

    public Scope? Parent { get; } = parent;

    public bool TryGet(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
            if (scope._variables.TryGetValue(name, out value)) return true;
        value = null;
        return false;
    }

    public object? Get(string name) => TryGet(name, out var value) ? value : Undefined.Variable(name);

    public void Set(string name, object? value) => _variables[name] = value;
}
