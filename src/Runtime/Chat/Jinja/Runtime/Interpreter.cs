using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Executes a parsed template: statements write to the current output, expressions evaluate to Python-like values.
/// Captured output (macro calls, <c>set</c> blocks, filter blocks) goes to a nested buffer. When asked, records where
/// each top-level <c>{% generation %}</c> block's text lands in the final output.
/// </summary>
internal sealed partial class Interpreter
{
    // Python raises RecursionError near 150 nested macro calls; stop before the .NET stack would.
    const int MaxCallDepth = 120;

    readonly Stack<StringBuilder> _outputs = new();
    readonly List<(int Start, int End)>? _generationSpans;

    public Interpreter(JinjaEnvironment environment, bool trackGeneration)
    {
        Environment = environment;
        _generationSpans = trackGeneration ? [] : null;
    }

    public JinjaEnvironment Environment { get; }

    /// <summary>The spans of <c>{% generation %}</c> output, when tracking was requested.</summary>
    public IReadOnlyList<(int Start, int End)> GenerationSpans => _generationSpans ?? [];

    enum Flow { Normal, Break, Continue }

    public string Render(IReadOnlyList<Stmt> body, Scope scope)
    {
        _outputs.Push(new StringBuilder());
        Execute(body, scope);
        return _outputs.Pop().ToString();
    }

    /// <summary>Renders <paramref name="body"/> into its own buffer and returns the text (a macro's result, a set block's value).</summary>
    public string Capture(IReadOnlyList<Stmt> body, Scope scope)
    {
        if (_outputs.Count > MaxCallDepth) throw new JinjaException(JinjaErrorKind.Runtime, "maximum recursion depth exceeded");
        _outputs.Push(new StringBuilder());
        try
        {
            Execute(body, scope);
            return _outputs.Peek().ToString();
        }
        finally { _outputs.Pop(); }
    }

    StringBuilder Output => _outputs.Peek();

    Flow Execute(IReadOnlyList<Stmt> body, Scope scope)
    {
        foreach (var stmt in body)
        {
            var flow = Execute(stmt, scope);
            if (flow != Flow.Normal) return flow;
        }
        return Flow.Normal;
    }

    Flow Execute(Stmt stmt, Scope scope)
    {
        try
        {
            switch (stmt)
            {
                case TextStmt text: Output.Append(text.Text); return Flow.Normal;
                case PrintStmt print: Output.Append(PythonRepr.Str(Evaluate(print.Value, scope))); return Flow.Normal;
                case IfStmt s: return ExecuteIf(s, scope);
                case ForStmt s: return ExecuteFor(s, scope);
                case LoopControlStmt s: return s.IsBreak ? Flow.Break : Flow.Continue;
                case SetStmt s: Assign(s.Target, Evaluate(s.Value, scope), scope); return Flow.Normal;
                case SetBlockStmt s:
                {
                    object? value = Capture(s.Body, new Scope(scope));
                    if (s.Filter is not null) value = ApplyFilterChain(s.Filter, value, scope);
                    Assign(s.Target, value, scope);
                    return Flow.Normal;
                }
                case MacroStmt s: scope.Set(s.Name, new Macro(s.Name, s.Parameters, s.Body, scope)); return Flow.Normal;
                case CallBlockStmt s: Output.Append(PythonRepr.Str(CallWithCaller(s, scope))); return Flow.Normal;
                case FilterBlockStmt s:
                    Output.Append(PythonRepr.Str(ApplyFilterChain(s.Filter, Capture(s.Body, new Scope(scope)), scope)));
                    return Flow.Normal;
                case WithStmt s:
                {
                    var inner = new Scope(scope);
                    foreach (var (target, value) in s.Assignments) Assign(target, Evaluate(value, scope), inner);
                    return Execute(s.Body, inner);
                }
                case GenerationStmt s: ExecuteGeneration(s, scope); return Flow.Normal;
                default: throw new InvalidOperationException($"Unknown statement {stmt.GetType().Name}.");
            }
        }
        catch (JinjaException e)
        {
            e.At(stmt.Position);
            throw;
        }
    }

    Flow ExecuteIf(IfStmt s, Scope scope)
    {
        foreach (var (test, body) in s.Branches)
            if (PythonOps.Truthy(Evaluate(test, scope))) return Execute(body, scope);
        return Execute(s.Else, scope);
    }

    Flow ExecuteFor(ForStmt s, Scope scope)
    {
        var iterable = Evaluate(s.Iterable, scope);
        var items = PythonOps.Iterate(iterable);
        long? length = PythonOps.KnownLength(iterable);
        if (s.Filter is not null)
        {
            items = FilterItems(s, items, scope);
            length = null;
        }
        var loop = new LoopContext(items, length);
        var iterated = false;
        while (loop.MoveNext(out var item))
        {
            iterated = true;
            var iteration = new Scope(scope);
            Assign(s.Target, item, iteration);
            iteration.Set("loop", loop);
            if (Execute(s.Body, iteration) == Flow.Break) break;
        }
        if (!iterated) Execute(s.Else, new Scope(scope));
        return Flow.Normal;
    }

    // jinja2 filters lazily, evaluating the condition with the target bound in a scope of its own.
    IEnumerable<object?> FilterItems(ForStmt s, IEnumerable<object?> items, Scope scope)
    {
        foreach (var item in items)
        {
            var candidate = new Scope(scope);
            Assign(s.Target, item, candidate);
            if (PythonOps.Truthy(Evaluate(s.Filter!, candidate))) yield return item;
        }
    }

    void ExecuteGeneration(GenerationStmt s, Scope scope)
    {
        var text = Capture(s.Body, new Scope(scope));
        if (_generationSpans is not null)
        {
            if (_outputs.Count > 1)
                throw JinjaException.Unsupported("Assistant spans for a {% generation %} block inside a macro, call, set or filter block", s.Position);
            _generationSpans.Add((Output.Length, Output.Length + text.Length));
        }
        Output.Append(text);
    }

    object? CallWithCaller(CallBlockStmt s, Scope scope)
    {
        var caller = new Macro("caller", s.Parameters, s.Body, scope);
        var callee = Evaluate(s.Call.Callee, scope);
        var arguments = EvaluateArguments(s.Call.Arguments, scope);
        var withCaller = new Arguments(arguments.Positional, [.. arguments.Keywords, new("caller", caller)]);
        return Call(callee, withCaller);
    }

    void Assign(Target target, object? value, Scope scope)
    {
        switch (target)
        {
            case NameTarget name:
                scope.Set(name.Name, value);
                break;
            case TupleTarget tuple:
            {
                var items = PythonOps.Iterate(value, "cannot unpack non-iterable {0} object").ToList();
                if (items.Count < tuple.Items.Count)
                    throw JinjaException.TypeError($"not enough values to unpack (expected {tuple.Items.Count}, got {items.Count})");
                if (items.Count > tuple.Items.Count)
                    throw JinjaException.TypeError($"too many values to unpack (expected {tuple.Items.Count})");
                for (var i = 0; i < items.Count; i++) Assign(tuple.Items[i], items[i], scope);
                break;
            }
            case NamespaceTarget ns:
                if (scope.Get(ns.Namespace) is not Namespace space)
                    throw new JinjaException(JinjaErrorKind.Runtime, "cannot assign attribute on non-namespace object", ns.Position);
                space.Attributes.Set(ns.Attribute, value);
                break;
        }
    }
}
