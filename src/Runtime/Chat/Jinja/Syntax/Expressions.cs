using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>An expression node; <see cref="Position"/> is where it starts in the template.</summary>
internal abstract record Expr(SourcePosition Position);

/// <summary>A literal: string, integer (<see cref="long"/>), float (<see cref="double"/>), boolean or none.</summary>
internal sealed record LiteralExpr(object? Value, SourcePosition Position) : Expr(Position);

/// <summary>A variable reference.</summary>
internal sealed record NameExpr(string Name, SourcePosition Position) : Expr(Position);

/// <summary><c>[a, b]</c></summary>
internal sealed record ListExpr(IReadOnlyList<Expr> Items, SourcePosition Position) : Expr(Position);

/// <summary><c>(a, b)</c> or a bare <c>a, b</c></summary>
internal sealed record TupleExpr(IReadOnlyList<Expr> Items, SourcePosition Position) : Expr(Position);

/// <summary><c>{k: v, …}</c></summary>
internal sealed record DictExpr(IReadOnlyList<(Expr Key, Expr Value)> Items, SourcePosition Position) : Expr(Position);

/// <summary><c>target.name</c></summary>
internal sealed record AttributeExpr(Expr Target, string Name, SourcePosition Position) : Expr(Position);

/// <summary><c>target[index]</c> (also <c>target.0</c>)</summary>
internal sealed record ItemExpr(Expr Target, Expr Index, SourcePosition Position) : Expr(Position);

/// <summary><c>start:stop:step</c> inside a subscript; missing parts are null.</summary>
internal sealed record SliceExpr(Expr? Start, Expr? Stop, Expr? Step, SourcePosition Position) : Expr(Position);

/// <summary>Arguments of a call, filter or test: positional, keyword, and <c>*args</c>/<c>**kwargs</c>.</summary>
internal sealed record CallArguments(
    IReadOnlyList<Expr> Positional,
    IReadOnlyList<(string Name, Expr Value)> Keywords,
    Expr? DynamicPositional,
    Expr? DynamicKeywords)
{
    public static CallArguments None { get; } = new([], [], null, null);
}

/// <summary><c>callee(args)</c></summary>
internal sealed record CallExpr(Expr Callee, CallArguments Arguments, SourcePosition Position) : Expr(Position);

/// <summary><c>value | name(args)</c>; <see cref="Value"/> is null for a <c>{% filter %}</c> block's filter chain head.</summary>
internal sealed record FilterExpr(Expr? Value, string Name, CallArguments Arguments, SourcePosition Position) : Expr(Position);

/// <summary><c>value is name(args)</c> (negation is a <see cref="NotExpr"/> around it).</summary>
internal sealed record TestExpr(Expr Value, string Name, CallArguments Arguments, SourcePosition Position) : Expr(Position);

/// <summary><c>not operand</c></summary>
internal sealed record NotExpr(Expr Operand, SourcePosition Position) : Expr(Position);

/// <summary>Unary <c>-</c> or <c>+</c>.</summary>
internal sealed record NegateExpr(Expr Operand, bool Minus, SourcePosition Position) : Expr(Position);

/// <summary>An arithmetic operator: <c>+ - * / // % **</c>.</summary>
internal sealed record BinaryExpr(string Operator, Expr Left, Expr Right, SourcePosition Position) : Expr(Position);

/// <summary><c>and</c> / <c>or</c>, which return one of their operands as Python does.</summary>
internal sealed record LogicalExpr(bool IsAnd, Expr Left, Expr Right, SourcePosition Position) : Expr(Position);

/// <summary><c>a ~ b ~ c</c>: the operands' string forms joined.</summary>
internal sealed record ConcatExpr(IReadOnlyList<Expr> Parts, SourcePosition Position) : Expr(Position);

/// <summary>A comparison chain <c>a &lt; b &lt;= c</c>; operators are <c>== != &lt; &lt;= &gt; &gt;= in notin</c>.</summary>
internal sealed record CompareExpr(Expr First, IReadOnlyList<(string Operator, Expr Operand)> Rest, SourcePosition Position) : Expr(Position);

/// <summary><c>then if test else otherwise</c>; without <c>else</c> a false test gives undefined.</summary>
internal sealed record ConditionalExpr(Expr Test, Expr Then, Expr? Otherwise, SourcePosition Position) : Expr(Position);
