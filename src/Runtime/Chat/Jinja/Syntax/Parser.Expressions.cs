using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Expressions, with jinja2's precedence from loosest to tightest: <c>x if c else y</c>, <c>or</c>, <c>and</c>,
/// <c>not</c>, comparisons and <c>in</c>, <c>+ -</c>, <c>~</c>, <c>* / // %</c>, <c>**</c>, unary <c>- +</c>, then
/// filters and tests (which bind to the unary expression), postfix access and calls, and primaries.
/// </summary>
internal sealed partial class Parser
{
    static readonly HashSet<string> ComparisonOperators = ["==", "!=", "<", "<=", ">", ">="];

    Expr ParseExpression(bool withConditional = true)
    {
        using var _ = Nested();
        return withConditional ? ParseConditional() : ParseOr();
    }

    Expr ParseConditional()
    {
        var position = _stream.Current.Position;
        var result = ParseOr();
        while (_stream.SkipName("if"))
        {
            var test = ParseOr();
            var otherwise = _stream.SkipName("else") ? ParseConditional() : null;
            result = new ConditionalExpr(test, result, otherwise, position);
            position = _stream.Current.Position;
        }
        return result;
    }

    Expr ParseOr()
    {
        var left = ParseAnd();
        while (_stream.Current.IsName("or"))
        {
            var position = _stream.Next().Position;
            left = new LogicalExpr(false, left, ParseAnd(), position);
        }
        return left;
    }

    Expr ParseAnd()
    {
        var left = ParseNot();
        while (_stream.Current.IsName("and"))
        {
            var position = _stream.Next().Position;
            left = new LogicalExpr(true, left, ParseNot(), position);
        }
        return left;
    }

    Expr ParseNot()
    {
        if (!_stream.Current.IsName("not")) return ParseCompare();
        var position = _stream.Next().Position;
        using var _ = Nested();
        return new NotExpr(ParseNot(), position);
    }

    Expr ParseCompare()
    {
        var position = _stream.Current.Position;
        var first = ParseAdditive();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            var token = _stream.Current;
            if (token.Kind == TokenKind.Operator && ComparisonOperators.Contains(token.Text))
            {
                _stream.Next();
                rest.Add((token.Text, ParseAdditive()));
            }
            else if (_stream.SkipName("in")) rest.Add(("in", ParseAdditive()));
            else if (token.IsName("not") && _stream.Peek().IsName("in"))
            {
                _stream.Next();
                _stream.Next();
                rest.Add(("notin", ParseAdditive()));
            }
            else break;
        }
        return rest.Count == 0 ? first : new CompareExpr(first, rest, position);
    }

    Expr ParseAdditive()
    {
        var left = ParseConcat();
        while (_stream.Current.IsOperator("+") || _stream.Current.IsOperator("-"))
        {
            var op = _stream.Next();
            left = new BinaryExpr(op.Text, left, ParseConcat(), op.Position);
        }
        return left;
    }

    Expr ParseConcat()
    {
        var position = _stream.Current.Position;
        var parts = new List<Expr> { ParseMultiplicative() };
        while (_stream.SkipOperator("~")) parts.Add(ParseMultiplicative());
        return parts.Count == 1 ? parts[0] : new ConcatExpr(parts, position);
    }

    Expr ParseMultiplicative()
    {
        var left = ParsePower();
        while (_stream.Current.Kind == TokenKind.Operator && _stream.Current.Text is "*" or "/" or "//" or "%")
        {
            var op = _stream.Next();
            left = new BinaryExpr(op.Text, left, ParsePower(), op.Position);
        }
        return left;
    }

    Expr ParsePower()
    {
        var left = ParseUnary();
        while (_stream.Current.IsOperator("**"))
        {
            var op = _stream.Next();
            left = new BinaryExpr("**", left, ParseUnary(), op.Position);
        }
        return left;
    }

    Expr ParseUnary(bool withFilter = true)
    {
        var token = _stream.Current;
        Expr node;
        if (token.IsOperator("-") || token.IsOperator("+"))
        {
            _stream.Next();
            using var _ = Nested();
            node = new NegateExpr(ParseUnary(withFilter: false), token.Text == "-", token.Position);
        }
        else node = ParsePrimary();
        node = ParsePostfix(node);
        return withFilter ? ParseFilterChain(node) : node;
    }

    Expr ParsePrimary()
    {
        var token = _stream.Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                _stream.Next();
                return token.Text switch
                {
                    "true" or "True" => new LiteralExpr(true, token.Position),
                    "false" or "False" => new LiteralExpr(false, token.Position),
                    "none" or "None" => new LiteralExpr(null, token.Position),
                    _ => new NameExpr(token.Text, token.Position),
                };
            case TokenKind.String:
            {
                // Adjacent string literals join, as in Python.
                var text = new System.Text.StringBuilder();
                while (_stream.Current.Kind == TokenKind.String) text.Append((string)_stream.Next().Value!);
                return new LiteralExpr(text.ToString(), token.Position);
            }
            case TokenKind.Integer or TokenKind.Float:
                _stream.Next();
                return new LiteralExpr(token.Value, token.Position);
            case TokenKind.Operator when token.Text == "(":
            {
                _stream.Next();
                var inner = ParseTuple(explicitParentheses: true);
                _stream.ExpectOperator(")");
                return inner;
            }
            case TokenKind.Operator when token.Text == "[": return ParseList();
            case TokenKind.Operator when token.Text == "{": return ParseDict();
        }
        var found = token.Kind == TokenKind.EndOfTemplate ? "end of template" : token.Describe();
        throw new JinjaException(JinjaErrorKind.Syntax, $"unexpected '{found}'", token.Position);
    }

    /// <summary>Comma-separated expressions; a tuple when there is a comma (jinja2's <c>parse_tuple</c>).</summary>
    Expr ParseTuple(bool simplified = false, bool withConditional = true, string? extraEnd = null, bool explicitParentheses = false)
    {
        var position = _stream.Current.Position;
        var items = new List<Expr>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0) _stream.ExpectOperator(",");
            if (IsTupleEnd(extraEnd)) break;
            items.Add(simplified ? ParsePrimary() : ParseExpression(withConditional));
            if (_stream.Current.IsOperator(",")) isTuple = true;
            else break;
        }
        if (isTuple) return new TupleExpr(items, position);
        if (items.Count > 0) return items[0];
        if (!explicitParentheses)
            throw new JinjaException(JinjaErrorKind.Syntax, $"Expected an expression, got '{_stream.Current.Describe()}'", _stream.Current.Position);
        return new TupleExpr(items, position);
    }

    bool IsTupleEnd(string? extraEnd)
    {
        var current = _stream.Current;
        return current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd
               || current.IsOperator(")")
               || (extraEnd is not null && current.IsName(extraEnd));
    }

    ListExpr ParseList()
    {
        var position = _stream.ExpectOperator("[").Position;
        var items = new List<Expr>();
        while (!_stream.Current.IsOperator("]"))
        {
            if (items.Count > 0) _stream.ExpectOperator(",");
            if (_stream.Current.IsOperator("]")) break;
            items.Add(ParseExpression());
        }
        _stream.ExpectOperator("]");
        return new ListExpr(items, position);
    }

    DictExpr ParseDict()
    {
        var position = _stream.ExpectOperator("{").Position;
        var items = new List<(Expr, Expr)>();
        while (!_stream.Current.IsOperator("}"))
        {
            if (items.Count > 0) _stream.ExpectOperator(",");
            if (_stream.Current.IsOperator("}")) break;
            var key = ParseExpression();
            _stream.ExpectOperator(":");
            items.Add((key, ParseExpression()));
        }
        _stream.ExpectOperator("}");
        return new DictExpr(items, position);
    }

    Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            var current = _stream.Current;
            if (current.IsOperator(".") || current.IsOperator("[")) node = ParseSubscript(node);
            else if (current.IsOperator("(")) node = new CallExpr(node, ParseCallArguments(), current.Position);
            else return node;
        }
    }

    Expr ParseFilterChain(Expr node)
    {
        while (true)
        {
            var current = _stream.Current;
            if (current.IsOperator("|")) node = ParseFilter(node, startInline: false)!;
            else if (current.IsName("is")) node = ParseTest(node);
            else if (current.IsOperator("(")) node = new CallExpr(node, ParseCallArguments(), current.Position);
            else return node;
        }
    }

    Expr ParseSubscript(Expr node)
    {
        var token = _stream.Next();
        if (token.Text == ".")
        {
            var attribute = _stream.Next();
            if (attribute.Kind == TokenKind.Name) return new AttributeExpr(node, attribute.Text, token.Position);
            if (attribute.Kind != TokenKind.Integer) throw new JinjaException(JinjaErrorKind.Syntax, "expected name or number", attribute.Position);
            return new ItemExpr(node, new LiteralExpr(attribute.Value, attribute.Position), token.Position);
        }
        var indexes = new List<Expr>();
        while (!_stream.Current.IsOperator("]"))
        {
            if (indexes.Count > 0) _stream.ExpectOperator(",");
            indexes.Add(ParseSubscribed());
        }
        _stream.ExpectOperator("]");
        return new ItemExpr(node, indexes.Count == 1 ? indexes[0] : new TupleExpr(indexes, token.Position), token.Position);
    }

    Expr ParseSubscribed()
    {
        var position = _stream.Current.Position;
        Expr? start = null;
        if (!_stream.SkipOperator(":"))
        {
            var node = ParseExpression();
            if (!_stream.SkipOperator(":")) return node;
            start = node;
        }
        Expr? stop = null, step = null;
        if (!IsSliceEnd() && !_stream.Current.IsOperator(":")) stop = ParseExpression();
        if (_stream.SkipOperator(":") && !IsSliceEnd()) step = ParseExpression();
        return new SliceExpr(start, stop, step, position);
    }

    bool IsSliceEnd() => _stream.Current.IsOperator("]") || _stream.Current.IsOperator(",");

    CallArguments ParseCallArguments()
    {
        var open = _stream.ExpectOperator("(");
        var positional = new List<Expr>();
        var keywords = new List<(string, Expr)>();
        Expr? dynamicPositional = null, dynamicKeywords = null;
        var requireComma = false;
        void Ensure(bool ok)
        {
            if (!ok) throw new JinjaException(JinjaErrorKind.Syntax, "invalid syntax for function call expression", open.Position);
        }
        while (!_stream.Current.IsOperator(")"))
        {
            if (requireComma)
            {
                _stream.ExpectOperator(",");
                if (_stream.Current.IsOperator(")")) break;
            }
            if (_stream.SkipOperator("*"))
            {
                Ensure(dynamicPositional is null && dynamicKeywords is null);
                dynamicPositional = ParseExpression();
            }
            else if (_stream.SkipOperator("**"))
            {
                Ensure(dynamicKeywords is null);
                dynamicKeywords = ParseExpression();
            }
            else if (_stream.Current.Kind == TokenKind.Name && _stream.Peek().IsOperator("="))
            {
                Ensure(dynamicKeywords is null);
                var name = _stream.Next().Text;
                _stream.Next();
                keywords.Add((name, ParseExpression()));
            }
            else
            {
                Ensure(dynamicPositional is null && dynamicKeywords is null && keywords.Count == 0);
                positional.Add(ParseExpression());
            }
            requireComma = true;
        }
        _stream.ExpectOperator(")");
        return new CallArguments(positional, keywords, dynamicPositional, dynamicKeywords);
    }

    Expr? ParseFilter(Expr? node, bool startInline)
    {
        while (_stream.Current.IsOperator("|") || startInline)
        {
            if (!startInline) _stream.Next();
            var token = _stream.ExpectName();
            var name = DottedName(token.Text);
            if (!_environment.IsKnownFilter(name))
                throw new JinjaException(JinjaErrorKind.Syntax, $"No filter named '{name}'.", token.Position);
            var arguments = _stream.Current.IsOperator("(") ? ParseCallArguments() : CallArguments.None;
            node = new FilterExpr(node, name, arguments, token.Position);
            startInline = false;
        }
        return node;
    }

    Expr ParseTest(Expr node)
    {
        var isToken = _stream.Next();
        var negated = _stream.SkipName("not");
        var nameToken = _stream.ExpectName();
        var name = DottedName(nameToken.Text);
        if (!_environment.IsKnownTest(name))
            throw new JinjaException(JinjaErrorKind.Syntax, $"No test named '{name}'.", nameToken.Position);
        var current = _stream.Current;
        CallArguments arguments;
        if (current.IsOperator("(")) arguments = ParseCallArguments();
        else if ((current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                  || current.IsOperator("[") || current.IsOperator("{"))
                 && !current.IsName("else") && !current.IsName("or") && !current.IsName("and"))
        {
            if (current.IsName("is")) throw new JinjaException(JinjaErrorKind.Syntax, "You cannot chain multiple tests with is", current.Position);
            arguments = new CallArguments([ParsePostfix(ParsePrimary())], [], null, null);
        }
        else arguments = CallArguments.None;
        Expr test = new TestExpr(node, name, arguments, isToken.Position);
        return negated ? new NotExpr(test, isToken.Position) : test;
    }

    string DottedName(string first)
    {
        var name = first;
        while (_stream.SkipOperator(".")) name += "." + _stream.ExpectName().Text;
        return name;
    }
}
