using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>Walks a template's syntax tree: which names a body reads, and whether it contains a given statement kind.</summary>
internal static class NameUsage
{
    /// <summary>Whether <paramref name="body"/> reads the variable <paramref name="name"/> anywhere.</summary>
    public static bool References(IEnumerable<Stmt> body, string name) =>
        body.SelectMany(Statements).SelectMany(ExpressionsOf).SelectMany(Expressions).Any(e => e is NameExpr n && n.Name == name);

    /// <summary>Whether <paramref name="body"/> contains a statement of type <typeparamref name="T"/> at any depth.</summary>
    public static bool Contains<T>(IEnumerable<Stmt> body) where T : Stmt => body.SelectMany(Statements).Any(s => s is T);

    static IEnumerable<Stmt> Statements(Stmt stmt)
    {
        yield return stmt;
        foreach (var child in ChildBodies(stmt).SelectMany(b => b).SelectMany(Statements)) yield return child;
    }

    static IEnumerable<IReadOnlyList<Stmt>> ChildBodies(Stmt stmt) => stmt switch
    {
        IfStmt s => s.Branches.Select(b => b.Body).Append(s.Else),
        ForStmt s => [s.Body, s.Else],
        SetBlockStmt s => [s.Body],
        MacroStmt s => [s.Body],
        CallBlockStmt s => [s.Body],
        FilterBlockStmt s => [s.Body],
        WithStmt s => [s.Body],
        GenerationStmt s => [s.Body],
        _ => [],
    };

    static IEnumerable<Expr?> ExpressionsOf(Stmt stmt)
    {
        switch (stmt)
        {
            case PrintStmt s: return [s.Value];
            case IfStmt s: return s.Branches.Select(b => b.Test);
            case ForStmt s: return [s.Iterable, s.Filter];
            case SetStmt s: return [s.Value];
            case SetBlockStmt s: return [s.Filter];
            case MacroStmt s: return s.Parameters.Defaults;
            case CallBlockStmt s: return s.Parameters.Defaults.Append(s.Call);
            case FilterBlockStmt s: return [s.Filter];
            case WithStmt s: return s.Assignments.Select(a => a.Value);
            default: return [];
        }
    }

    static IEnumerable<Expr> Expressions(Expr? expr)
    {
        if (expr is null) yield break;
        yield return expr;
        foreach (var child in Children(expr).SelectMany(Expressions)) yield return child;
    }

    static IEnumerable<Expr?> Children(Expr expr) => expr switch
    {
        ListExpr e => e.Items,
        TupleExpr e => e.Items,
        DictExpr e => e.Items.SelectMany(p => new[] { p.Key, p.Value }),
        AttributeExpr e => [e.Target],
        ItemExpr e => [e.Target, e.Index],
        SliceExpr e => [e.Start, e.Stop, e.Step],
        CallExpr e => Arguments(e.Arguments).Prepend(e.Callee),
        FilterExpr e => Arguments(e.Arguments).Prepend(e.Value),
        TestExpr e => Arguments(e.Arguments).Prepend(e.Value),
        NotExpr e => [e.Operand],
        NegateExpr e => [e.Operand],
        BinaryExpr e => [e.Left, e.Right],
        LogicalExpr e => [e.Left, e.Right],
        ConcatExpr e => e.Parts,
        CompareExpr e => e.Rest.Select(r => r.Operand).Prepend(e.First),
        ConditionalExpr e => [e.Test, e.Then, e.Otherwise],
        _ => [],
    };

    static IEnumerable<Expr?> Arguments(CallArguments a) =>
        a.Positional.Concat(a.Keywords.Select(k => k.Value)).Append(a.DynamicPositional).Append(a.DynamicKeywords);
}
