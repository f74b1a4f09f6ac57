using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Turns tokens into statements, following jinja2's grammar (its <c>Parser</c>): the tags real chat templates use, the
/// <c>generation</c> tag of transformers and <c>break</c>/<c>continue</c> of <c>jinja2.ext.loopcontrols</c>. Tags of
/// template inheritance and loading are refused by name; any other tag is unknown, as in jinja2.
/// </summary>
internal sealed partial class Parser
{
    static readonly HashSet<string> RefusedTags = ["block", "extends", "include", "import", "from", "autoescape"];

    readonly TokenStream _stream;
    readonly JinjaEnvironment _environment;
    // Python itself gives up (RecursionError) around here; a limit keeps a hostile template from exhausting the stack.
    const int MaxNesting = 100;

    readonly Stack<string> _openTags = new();
    int _loopDepth;
    int _nesting;

    Parser(List<Token> tokens, JinjaEnvironment environment)
    {
        _stream = new TokenStream(tokens);
        _environment = environment;
    }

    public static IReadOnlyList<Stmt> Parse(List<Token> tokens, JinjaEnvironment environment) =>
        new Parser(tokens, environment).Subparse(null);

    /// <summary>Statements up to one of <paramref name="endTags"/> (left as the current token) or the end of the template.</summary>
    List<Stmt> Subparse(string[]? endTags)
    {
        var body = new List<Stmt>();
        while (true)
        {
            var token = _stream.Current;
            switch (token.Kind)
            {
                case TokenKind.Data:
                    body.Add(new TextStmt((string)token.Value!, token.Position));
                    _stream.Next();
                    break;
                case TokenKind.VariableBegin:
                    _stream.Next();
                    body.Add(new PrintStmt(ParseTuple(), token.Position));
                    _stream.Expect(TokenKind.VariableEnd, "end of print statement");
                    break;
                case TokenKind.BlockBegin:
                    _stream.Next();
                    if (endTags is not null && _stream.Current.Kind == TokenKind.Name && endTags.Contains(_stream.Current.Text)) return body;
                    body.Add(ParseStatement(endTags));
                    _stream.Expect(TokenKind.BlockEnd, "end of statement block");
                    break;
                case TokenKind.EndOfTemplate:
                    if (endTags is not null) throw EndOfTemplate(endTags, token.Position);
                    return body;
                default:
                    throw new JinjaException(JinjaErrorKind.Syntax, $"unexpected '{token.Describe()}'", token.Position);
            }
        }
    }

    /// <summary>A tag's body: after the tag's closing <c>%}</c>, up to one of the end tags.</summary>
    List<Stmt> ParseBody(string tag, params string[] endTags)
    {
        _stream.SkipOperator(":");
        _stream.Expect(TokenKind.BlockEnd, "end of statement block");
        _openTags.Push(tag);
        using var _ = Nested();
        try { return Subparse(endTags); }
        finally { _openTags.Pop(); }
    }

    /// <summary>A body whose end tag is consumed (<c>drop_needle</c> in jinja2).</summary>
    List<Stmt> ParseBodyAndEnd(string tag, string endTag)
    {
        var body = ParseBody(tag, endTag);
        _stream.Next();
        return body;
    }

    Stmt ParseStatement(string[]? endTags)
    {
        var token = _stream.Current;
        if (token.Kind != TokenKind.Name) throw new JinjaException(JinjaErrorKind.Syntax, "tag name expected", token.Position);
        switch (token.Text)
        {
            case "if": return ParseIf();
            case "for": return ParseFor();
            case "set": return ParseSet();
            case "macro": return ParseMacro();
            case "call": return ParseCallBlock();
            case "filter": return ParseFilterBlock();
            case "with": return ParseWith();
            case "print": return ParsePrint();
            case "generation":
                _stream.Next();
                return new GenerationStmt(WithoutLoop(() => ParseBodyAndEnd("generation", "endgeneration")), token.Position);
            case "break" or "continue":
                _stream.Next();
                if (_loopDepth == 0) throw new JinjaException(JinjaErrorKind.Syntax, $"'{token.Text}' outside of a loop", token.Position);
                return new LoopControlStmt(token.Text == "break", token.Position);
        }
        if (RefusedTags.Contains(token.Text))
            throw JinjaException.Unsupported($"The '{token.Text}' tag (template inheritance, loading and autoescape blocks)", token.Position);
        throw UnknownTag(token.Text, endTags, token.Position);
    }

    IfStmt ParseIf()
    {
        var position = _stream.Next().Position;
        var branches = new List<(Expr, IReadOnlyList<Stmt>)>();
        IReadOnlyList<Stmt> otherwise = [];
        while (true)
        {
            var test = ParseTuple(withConditional: false);
            branches.Add((test, ParseBody("if", "elif", "else", "endif")));
            var end = _stream.Next();
            if (end.Text == "elif") continue;
            if (end.Text == "else") otherwise = ParseBodyAndEnd("if", "endif");
            break;
        }
        return new IfStmt(branches, otherwise, position);
    }

    ForStmt ParseFor()
    {
        var position = _stream.Next().Position;
        var target = ParseAssignTarget(extraEnd: "in");
        if (ContainsName(target, "loop"))
            throw new JinjaException(JinjaErrorKind.Syntax, "Can't assign to special loop variable in for-loop target", target.Position);
        _stream.ExpectName("in");
        var iterable = ParseTuple(withConditional: false, extraEnd: "recursive");
        var filter = _stream.SkipName("if") ? ParseExpression() : null;
        if (_stream.Current.IsName("recursive")) throw JinjaException.Unsupported("A recursive for loop", _stream.Current.Position);
        _loopDepth++;
        List<Stmt> body;
        try { body = ParseBody("for", "endfor", "else"); }
        finally { _loopDepth--; }
        var otherwise = _stream.Next().Text == "else" ? ParseBodyAndEnd("for", "endfor") : [];
        return new ForStmt(target, iterable, filter, body, otherwise, position);
    }

    Stmt ParseSet()
    {
        var position = _stream.Next().Position;
        var target = ParseAssignTarget(withNamespace: true);
        if (_stream.SkipOperator("=")) return new SetStmt(target, ParseTuple(), position);
        var filter = ParseFilter(null, startInline: false) as FilterExpr;
        return new SetBlockStmt(target, filter, ParseBodyAndEnd("set", "endset"), position);
    }

    MacroStmt ParseMacro()
    {
        var position = _stream.Next().Position;
        var name = _stream.ExpectName().Text;
        var parameters = ParseSignature();
        return new MacroStmt(name, parameters, WithoutLoop(() => ParseBodyAndEnd("macro", "endmacro")), position);
    }

    CallBlockStmt ParseCallBlock()
    {
        var position = _stream.Next().Position;
        var parameters = _stream.Current.IsOperator("(") ? ParseSignature() : new Parameters([], []);
        if (ParseExpression() is not CallExpr call) throw new JinjaException(JinjaErrorKind.Syntax, "expected call", position);
        return new CallBlockStmt(call, parameters, WithoutLoop(() => ParseBodyAndEnd("call", "endcall")), position);
    }

    FilterBlockStmt ParseFilterBlock()
    {
        var position = _stream.Next().Position;
        var filter = (FilterExpr)ParseFilter(null, startInline: true)!;
        return new FilterBlockStmt(filter, ParseBodyAndEnd("filter", "endfilter"), position);
    }

    WithStmt ParseWith()
    {
        var position = _stream.Next().Position;
        var assignments = new List<(Target, Expr)>();
        while (_stream.Current.Kind != TokenKind.BlockEnd)
        {
            if (assignments.Count > 0) _stream.ExpectOperator(",");
            var target = ParseAssignTarget();
            _stream.ExpectOperator("=");
            assignments.Add((target, ParseExpression()));
        }
        return new WithStmt(assignments, ParseBodyAndEnd("with", "endwith"), position);
    }

    PrintStmt ParsePrint()
    {
        var position = _stream.Next().Position;
        var values = new List<Expr>();
        while (_stream.Current.Kind != TokenKind.BlockEnd)
        {
            if (values.Count > 0) _stream.ExpectOperator(",");
            values.Add(ParseExpression());
        }
        // jinja2 prints the values one after another; a concatenation of their string forms is the same text.
        return new PrintStmt(values.Count == 1 ? values[0] : new ConcatExpr(values, position), position);
    }

    Parameters ParseSignature()
    {
        var names = new List<string>();
        var defaults = new List<Expr>();
        _stream.ExpectOperator("(");
        while (!_stream.Current.IsOperator(")"))
        {
            if (names.Count > 0) _stream.ExpectOperator(",");
            var name = _stream.ExpectName();
            if (_stream.SkipOperator("=")) defaults.Add(ParseExpression());
            else if (defaults.Count > 0) throw new JinjaException(JinjaErrorKind.Syntax, "non-default argument follows default argument", name.Position);
            names.Add(name.Text);
        }
        _stream.ExpectOperator(")");
        return new Parameters(names, defaults);
    }

    /// <summary>Counts one level of nesting (a block inside a block, an expression inside brackets) until disposed.</summary>
    NestingScope Nested()
    {
        if (++_nesting > MaxNesting)
            throw new JinjaException(JinjaErrorKind.Syntax, $"the template nests blocks or expressions more than {MaxNesting} levels deep", _stream.Current.Position);
        return new NestingScope(this);
    }

    readonly struct NestingScope(Parser parser) : System.IDisposable
    {
        public void Dispose() => parser._nesting--;
    }

    /// <summary>Macro and caller bodies are functions: a <c>break</c> inside them cannot leave an enclosing loop.</summary>
    T WithoutLoop<T>(System.Func<T> parse)
    {
        var saved = _loopDepth;
        _loopDepth = 0;
        try { return parse(); }
        finally { _loopDepth = saved; }
    }

    Target ParseAssignTarget(string? extraEnd = null, bool withNamespace = false)
    {
        if (withNamespace && _stream.Peek().IsOperator("."))
        {
            var ns = _stream.ExpectName();
            _stream.Next();
            var attribute = _stream.ExpectName();
            return new NamespaceTarget(ns.Text, attribute.Text, ns.Position);
        }
        return ToTarget(ParseTuple(simplified: true, extraEnd: extraEnd));
    }

    static Target ToTarget(Expr expr) => expr switch
    {
        NameExpr name => new NameTarget(name.Name, name.Position),
        TupleExpr tuple => new TupleTarget(tuple.Items.Select(ToTarget).ToList(), tuple.Position),
        _ => throw new JinjaException(JinjaErrorKind.Syntax, $"can't assign to {DescribeForAssignment(expr)}", expr.Position),
    };

    static string DescribeForAssignment(Expr expr) => expr switch
    {
        LiteralExpr => "'const'",
        ListExpr => "'list'",
        DictExpr => "'dict'",
        _ => "this expression",
    };

    static bool ContainsName(Target target, string name) => target switch
    {
        NameTarget n => n.Name == name,
        TupleTarget t => t.Items.Any(item => ContainsName(item, name)),
        _ => false,
    };

    JinjaException UnknownTag(string name, string[]? endTags, SourcePosition position)
    {
        var message = $"Encountered unknown tag '{name}'.";
        if (endTags is not null)
            message += $" Jinja was looking for the following tags: {string.Join(" or ", endTags.Select(t => $"'{t}'"))}.";
        if (_openTags.Count > 0) message += $" The innermost block that needs to be closed is '{_openTags.Peek()}'.";
        return new JinjaException(JinjaErrorKind.Syntax, message, position);
    }

    JinjaException EndOfTemplate(string[] endTags, SourcePosition position)
    {
        var message = $"Unexpected end of template. Jinja was looking for the following tags: {string.Join(" or ", endTags.Select(t => $"'{t}'"))}.";
        if (_openTags.Count > 0) message += $" The innermost block that needs to be closed is '{_openTags.Peek()}'.";
        return new JinjaException(JinjaErrorKind.Syntax, message, position);
    }
}
