using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>Expression evaluation, calls, filters and tests.</summary>
internal sealed partial class Interpreter
{
    public object? Evaluate(Expr expr, Scope scope)
    {
        try
        {
            return expr switch
            {
                LiteralExpr e => e.Value,
                NameExpr e => scope.Get(e.Name),
                ListExpr e => e.Items.Select(item => Evaluate(item, scope)).ToList(),
                TupleExpr e => new PyTuple(e.Items.Select(item => Evaluate(item, scope)).ToList()),
                DictExpr e => EvaluateDict(e, scope),
                AttributeExpr e => Access.GetAttribute(Evaluate(e.Target, scope), e.Name),
                ItemExpr { Index: SliceExpr slice } e => Access.Slice(Evaluate(e.Target, scope),
                    EvaluateOptional(slice.Start, scope), EvaluateOptional(slice.Stop, scope), EvaluateOptional(slice.Step, scope)),
                ItemExpr e => Access.GetItem(Evaluate(e.Target, scope), Evaluate(e.Index, scope)),
                SliceExpr => throw JinjaException.Unsupported("A slice outside a subscript (such as x[1:2, 3])"),
                CallExpr e => Call(Evaluate(e.Callee, scope), EvaluateArguments(e.Arguments, scope)),
                FilterExpr e => ApplyFilter(e, e.Value is null ? null : Evaluate(e.Value, scope), scope),
                TestExpr e => Environment.Test(this, e.Name, Evaluate(e.Value, scope), EvaluateArguments(e.Arguments, scope)),
                NotExpr e => !PythonOps.Truthy(Evaluate(e.Operand, scope)),
                NegateExpr e => PythonArithmetic.Negate(Evaluate(e.Operand, scope), e.Minus),
                BinaryExpr e => PythonArithmetic.Binary(e.Operator, Evaluate(e.Left, scope), Evaluate(e.Right, scope)),
                LogicalExpr e => EvaluateLogical(e, scope),
                ConcatExpr e => string.Concat(e.Parts.Select(part => PythonRepr.Str(Evaluate(part, scope)))),
                CompareExpr e => EvaluateCompare(e, scope),
                ConditionalExpr e => PythonOps.Truthy(Evaluate(e.Test, scope))
                    ? Evaluate(e.Then, scope)
                    : e.Otherwise is null
                        ? Undefined.WithHint($"the inline if-expression on line {e.Position.Line} evaluated to false and no else section was defined.")
                        : Evaluate(e.Otherwise, scope),
                _ => throw new InvalidOperationException($"Unknown expression {expr.GetType().Name}."),
            };
        }
        catch (JinjaException error)
        {
            error.At(expr.Position);
            throw;
        }
        catch (Exception error) when (error is InvalidCastException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, error.Message, expr.Position, error);
        }
    }

    object? EvaluateOptional(Expr? expr, Scope scope) => expr is null ? null : Evaluate(expr, scope);

    PyDict EvaluateDict(DictExpr e, Scope scope)
    {
        var dict = new PyDict();
        foreach (var (key, value) in e.Items) dict.Set(Evaluate(key, scope), Evaluate(value, scope));
        return dict;
    }

    object? EvaluateLogical(LogicalExpr e, Scope scope)
    {
        var left = Evaluate(e.Left, scope);
        return PythonOps.Truthy(left) == e.IsAnd ? Evaluate(e.Right, scope) : left;
    }

    bool EvaluateCompare(CompareExpr e, Scope scope)
    {
        var left = Evaluate(e.First, scope);
        foreach (var (op, operand) in e.Rest)
        {
            var right = Evaluate(operand, scope);
            if (!PythonOps.CompareWith(op, left, right)) return false;
            left = right;
        }
        return true;
    }

    public Arguments EvaluateArguments(CallArguments arguments, Scope scope)
    {
        if (arguments.Positional.Count == 0 && arguments.Keywords.Count == 0 && arguments.DynamicPositional is null && arguments.DynamicKeywords is null)
            return Arguments.None;
        var positional = arguments.Positional.Select(a => Evaluate(a, scope)).ToList();
        var keywords = arguments.Keywords.Select(k => new KeyValuePair<string, object?>(k.Name, Evaluate(k.Value, scope))).ToList();
        if (arguments.DynamicPositional is not null)
            positional.AddRange(PythonOps.Iterate(Evaluate(arguments.DynamicPositional, scope), "argument after * must be an iterable, not {0}"));
        if (arguments.DynamicKeywords is not null)
        {
            if (Evaluate(arguments.DynamicKeywords, scope) is not PyDict extra)
                throw JinjaException.TypeError("argument after ** must be a mapping");
            foreach (var (key, value) in extra.Pairs)
                keywords.Add(new(key as string ?? throw JinjaException.TypeError("keywords must be strings"), value));
        }
        return new Arguments(positional, keywords);
    }

    /// <summary>Calls anything callable; calling undefined raises its error, calling anything else is Python's TypeError.</summary>
    public object? Call(object? callee, Arguments arguments) => callee switch
    {
        ICallable callable => callable.Call(this, arguments),
        Undefined undefined => throw undefined.Error(),
        _ => throw JinjaException.TypeError($"'{PythonTypes.NameOf(callee)}' object is not callable"),
    };

    object? ApplyFilter(FilterExpr e, object? value, Scope scope) =>
        Environment.Filter(this, e.Name, value, EvaluateArguments(e.Arguments, scope));

    /// <summary>A <c>{% filter %}</c> or <c>{% set x | f %}</c> chain: its innermost filter (null head) gets <paramref name="value"/>.</summary>
    object? ApplyFilterChain(FilterExpr chain, object? value, Scope scope)
    {
        var head = chain.Value is FilterExpr inner ? ApplyFilterChain(inner, value, scope) : value;
        return ApplyFilter(chain, head, scope);
    }
}
