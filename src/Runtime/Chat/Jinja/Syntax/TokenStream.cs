using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>A cursor over the lexer's tokens with the look-ahead and "expect" helpers the parser needs.</summary>
internal sealed class TokenStream(List<Token> tokens)
{
    int _index;

    public Token Current => tokens[_index];

    public Token Peek() => tokens[System.Math.Min(_index + 1, tokens.Count - 1)];

    public Token Next()
    {
        var token = tokens[_index];
        if (_index < tokens.Count - 1) _index++;
        return token;
    }

    public bool SkipName(string name)
    {
        if (!Current.IsName(name)) return false;
        Next();
        return true;
    }

    public bool SkipOperator(string op)
    {
        if (!Current.IsOperator(op)) return false;
        Next();
        return true;
    }

    public Token ExpectName(string? name = null)
    {
        if (Current.Kind != TokenKind.Name || (name is not null && Current.Text != name))
            throw Unexpected(name ?? "name");
        return Next();
    }

    public Token ExpectOperator(string op)
    {
        if (!Current.IsOperator(op)) throw Unexpected($"'{op}'");
        return Next();
    }

    public Token Expect(TokenKind kind, string description)
    {
        if (Current.Kind != kind) throw Unexpected(description);
        return Next();
    }

    JinjaException Unexpected(string expected)
    {
        var found = Current.Kind == TokenKind.EndOfTemplate ? "end of template" : $"'{Current.Describe()}'";
        return new JinjaException(JinjaErrorKind.Syntax, $"expected {expected}, got {found}", Current.Position);
    }
}
