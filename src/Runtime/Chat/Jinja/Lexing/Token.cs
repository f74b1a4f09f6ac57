namespace ModelDsl.Chat.Jinja;

/// <summary>The kinds of token the lexer produces; operators share one kind and are told apart by their text.</summary>
internal enum TokenKind
{
    /// <summary>Template text outside tags (after whitespace control was applied).</summary>
    Data,
    /// <summary><c>{{</c></summary>
    VariableBegin,
    /// <summary><c>}}</c></summary>
    VariableEnd,
    /// <summary><c>{%</c></summary>
    BlockBegin,
    /// <summary><c>%}</c></summary>
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    EndOfTemplate,
}

/// <summary>One token: its kind, its source text (operators, names), its value (strings, numbers) and where it starts.</summary>
internal sealed record Token(TokenKind Kind, string Text, object? Value, SourcePosition Position)
{
    public bool IsName(string name) => Kind == TokenKind.Name && Text == name;

    public bool IsOperator(string op) => Kind == TokenKind.Operator && Text == op;

    /// <summary>How jinja2 names a token in its error messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.Name or TokenKind.Operator => Text,
        TokenKind.String => "string",
        TokenKind.Integer => "integer",
        TokenKind.Float => "float",
        TokenKind.Data => "template data / text",
        TokenKind.VariableBegin => "begin of print statement",
        TokenKind.VariableEnd => "end of print statement",
        TokenKind.BlockBegin => "begin of statement block",
        TokenKind.BlockEnd => "end of statement block",
        _ => "end of template",
    };
}
