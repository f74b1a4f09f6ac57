using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>A statement node of the template body.</summary>
internal abstract record Stmt(SourcePosition Position);

/// <summary>Literal template text.</summary>
internal sealed record TextStmt(string Text, SourcePosition Position) : Stmt(Position);

/// <summary><c>{{ expr }}</c> (and <c>{% print expr %}</c>).</summary>
internal sealed record PrintStmt(Expr Value, SourcePosition Position) : Stmt(Position);

/// <summary><c>{% if %}…{% elif %}…{% else %}…{% endif %}</c> as a list of (test, body) branches and an else body.</summary>
internal sealed record IfStmt(IReadOnlyList<(Expr Test, IReadOnlyList<Stmt> Body)> Branches, IReadOnlyList<Stmt> Else, SourcePosition Position) : Stmt(Position);

/// <summary><c>{% for target in iterable if filter %}…{% else %}…{% endfor %}</c></summary>
internal sealed record ForStmt(Target Target, Expr Iterable, Expr? Filter, IReadOnlyList<Stmt> Body, IReadOnlyList<Stmt> Else, SourcePosition Position) : Stmt(Position);

/// <summary><c>{% break %}</c> / <c>{% continue %}</c></summary>
internal sealed record LoopControlStmt(bool IsBreak, SourcePosition Position) : Stmt(Position);

/// <summary><c>{% set target = value %}</c></summary>
internal sealed record SetStmt(Target Target, Expr Value, SourcePosition Position) : Stmt(Position);

/// <summary><c>{% set target | filters %}body{% endset %}</c>; <see cref="Filter"/> has a null head.</summary>
internal sealed record SetBlockStmt(Target Target, FilterExpr? Filter, IReadOnlyList<Stmt> Body, SourcePosition Position) : Stmt(Position);

/// <summary>A macro's or caller's parameter list.</summary>
internal sealed record Parameters(IReadOnlyList<string> Names, IReadOnlyList<Expr> Defaults)
{
    /// <summary>The default of parameter <paramref name="index"/>, if it has one (defaults belong to the last names).</summary>
    public Expr? DefaultOf(int index)
    {
        var firstWithDefault = Names.Count - Defaults.Count;
        return index >= firstWithDefault ? Defaults[index - firstWithDefault] : null;
    }
}

/// <summary><c>{% macro name(params) %}body{% endmacro %}</c></summary>
internal sealed record MacroStmt(string Name, Parameters Parameters, IReadOnlyList<Stmt> Body, SourcePosition Position) : Stmt(Position);

/// <summary><c>{% call(params) callee(args) %}body{% endcall %}</c>: the body becomes the callee's <c>caller</c>.</summary>
internal sealed record CallBlockStmt(CallExpr Call, Parameters Parameters, IReadOnlyList<Stmt> Body, SourcePosition Position) : Stmt(Position);

/// <summary><c>{% filter name(args) | … %}body{% endfilter %}</c>; <see cref="Filter"/> has a null head.</summary>
internal sealed record FilterBlockStmt(FilterExpr Filter, IReadOnlyList<Stmt> Body, SourcePosition Position) : Stmt(Position);

/// <summary><c>{% with a = x, b = y %}body{% endwith %}</c></summary>
internal sealed record WithStmt(IReadOnlyList<(Target Target, Expr Value)> Assignments, IReadOnlyList<Stmt> Body, SourcePosition Position) : Stmt(Position);

/// <summary>transformers' <c>{% generation %}body{% endgeneration %}</c>: marks assistant output for loss masks.</summary>
internal sealed record GenerationStmt(IReadOnlyList<Stmt> Body, SourcePosition Position) : Stmt(Position);

/// <summary>Where a <c>set</c>, <c>for</c> or <c>with</c> stores values.</summary>
internal abstract record Target(SourcePosition Position);

/// <summary>A plain variable name.</summary>
internal sealed record NameTarget(string Name, SourcePosition Position) : Target(Position);

/// <summary>Unpacking into several targets: <c>a, b</c> or <c>(a, (b, c))</c>.</summary>
internal sealed record TupleTarget(IReadOnlyList<Target> Items, SourcePosition Position) : Target(Position);

/// <summary><c>ns.attr</c>, allowed only in <c>set</c> and only on a <c>namespace()</c> object.</summary>
internal sealed record NamespaceTarget(string Namespace, string Attribute, SourcePosition Position) : Target(Position);
