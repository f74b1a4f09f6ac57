using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Splits a template into tokens the way jinja2's lexer does, including its whitespace control:
/// <c>{%-</c>/<c>-%}</c> strip all whitespace on that side; <c>trim_blocks</c> drops the first newline after a block or
/// comment tag; <c>lstrip_blocks</c> drops spaces and tabs between the start of a line and a block or comment tag (never
/// before <c>{{</c>); <c>{%+</c> and <c>+%}</c> turn those two off for one tag. <c>{% raw %}</c> bodies become text.
/// </summary>
internal sealed class Lexer
{
    // Python's \s for str patterns is Unicode whitespace as str.isspace() sees it; .NET's \s lacks U+001C..U+001F.
    const string Space = @"[\s\x1c-\x1f]";

    static readonly Regex WhitespaceRule = new(@"\G" + Space + "+", RegexOptions.CultureInvariant);
    static readonly Regex FloatRule = new(@"\G(?<!\.)([0-9]+_)*[0-9]+((\.([0-9]+_)*[0-9]+)?[eE][+\-]?([0-9]+_)*[0-9]+|\.([0-9]+_)*[0-9]+)", RegexOptions.CultureInvariant);
    static readonly Regex IntegerRule = new(@"\G(0[bB](_?[01])+|0[oO](_?[0-7])+|0[xX](_?[0-9a-fA-F])+|[1-9](_?[0-9])*|0(_?0)*)", RegexOptions.CultureInvariant);
    static readonly Regex NameRule = new(@"\G[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*", RegexOptions.CultureInvariant);
    static readonly Regex StringRule = new(@"\G('([^'\\]*(?:\\.[^'\\]*)*)'|""([^""\\]*(?:\\.[^""\\]*)*)"")", RegexOptions.Singleline | RegexOptions.CultureInvariant);
    static readonly Regex OperatorRule = new(@"\G(\*\*|//|==|!=|>=|<=|[+\-/*%~\[\](){}><=.:|,;])", RegexOptions.CultureInvariant);
    static readonly Regex VariableEndRule = new(@"\G(?:-\}\}" + Space + "*|\\}\\})", RegexOptions.CultureInvariant);
    static readonly Regex RawBeginRule = new(@"\G\{%([-+]?)" + Space + "*raw" + Space + "*(?:-%\\}" + Space + "*|%\\})", RegexOptions.CultureInvariant);

    readonly SourceText _source;
    readonly string _text;
    readonly bool _lstripBlocks;
    readonly Regex _blockEndRule;
    readonly Regex _commentEndRule;
    readonly Regex _rawEndRule;
    readonly List<Token> _tokens = [];
    bool _lineStarting = true;

    Lexer(SourceText source, bool trimBlocks, bool lstripBlocks)
    {
        _source = source;
        _text = source.Text;
        _lstripBlocks = lstripBlocks;
        var trim = trimBlocks ? "\\n?" : "";
        _blockEndRule = new Regex(@"\G(?:\+%\}|-%\}" + Space + "*|%\\}" + trim + ")", RegexOptions.CultureInvariant);
        _commentEndRule = new Regex(@"(?:\+#\}|-#\}" + Space + "*|#\\}" + trim + ")", RegexOptions.CultureInvariant);
        _rawEndRule = new Regex(@"\{%([-+]?)" + Space + "*endraw" + Space + "*(?:\\+%\\}|-%\\}" + Space + "*|%\\}" + trim + ")", RegexOptions.CultureInvariant);
    }

    /// <summary>The tokens of <paramref name="source"/>, ending with <see cref="TokenKind.EndOfTemplate"/>.</summary>
    public static List<Token> Tokenize(SourceText source, bool trimBlocks = true, bool lstripBlocks = true)
    {
        var lexer = new Lexer(source, trimBlocks, lstripBlocks);
        lexer.Run();
        return lexer._tokens;
    }

    void Run()
    {
        var pos = 0;
        while (pos < _text.Length)
        {
            var start = NextTagStart(pos);
            if (start < 0)
            {
                Emit(TokenKind.Data, _text[pos..], pos);
                break;
            }
            var raw = _text[start + 1] == '%' ? RawBeginRule.Match(_text, start) : Match.Empty;
            var kind = raw.Success ? 'r' : _text[start + 1];
            var sign = raw.Success ? raw.Groups[1].Value : SignAt(start + 2);
            EmitText(pos, start, sign, appliesLStrip: kind != '{');
            var afterStart = start + 2 + sign.Length;
            switch (kind)
            {
                case 'r':
                    _lineStarting = raw.Value.EndsWith('\n');
                    pos = LexRaw(start, raw.Index + raw.Length);
                    break;
                case '#':
                    pos = LexComment(start, afterStart);
                    break;
                case '%':
                    Emit(TokenKind.BlockBegin, _text[start..afterStart], start);
                    pos = LexTag(afterStart, _blockEndRule, TokenKind.BlockEnd);
                    break;
                default:
                    Emit(TokenKind.VariableBegin, _text[start..afterStart], start);
                    pos = LexTag(afterStart, VariableEndRule, TokenKind.VariableEnd);
                    break;
            }
        }
        _tokens.Add(new Token(TokenKind.EndOfTemplate, "", null, _source.PositionOf(_text.Length)));
    }

    int NextTagStart(int from)
    {
        for (var i = from; i + 1 < _text.Length; i++)
            if (_text[i] == '{' && _text[i + 1] is '{' or '%' or '#') return i;
        return -1;
    }

    string SignAt(int index) => index < _text.Length && _text[index] is '-' or '+' ? _text[index].ToString() : "";

    /// <summary>Emits the text before a tag after the tag's whitespace control: <c>-</c> strips all trailing
    /// whitespace; otherwise lstrip_blocks strips a whitespace-only tail that starts a line (jinja2's rule, including its
    /// notion of "starting a line" when the previous tag ended with a newline).</summary>
    void EmitText(int from, int to, string sign, bool appliesLStrip)
    {
        var text = _text[from..to];
        if (sign == "-") text = PythonText.RStrip(text);
        else if (sign != "+" && _lstripBlocks && appliesLStrip)
        {
            var lineStart = text.LastIndexOf('\n') + 1;
            if ((lineStart > 0 || _lineStarting) && lineStart < text.Length && PythonText.IsAllSpace(text, lineStart))
                text = text[..lineStart];
        }
        Emit(TokenKind.Data, text, from);
    }

    int LexRaw(int tagStart, int bodyStart)
    {
        var end = _rawEndRule.Match(_text, bodyStart);
        if (!end.Success) throw new JinjaException(JinjaErrorKind.Syntax, "Missing end of raw directive", _source.PositionOf(tagStart));
        EmitText(bodyStart, end.Index, end.Groups[1].Value, appliesLStrip: true);
        _lineStarting = end.Value.EndsWith('\n');
        return end.Index + end.Length;
    }

    int LexComment(int tagStart, int bodyStart)
    {
        var end = _commentEndRule.Match(_text, bodyStart);
        if (!end.Success) throw new JinjaException(JinjaErrorKind.Syntax, "Missing end of comment tag", _source.PositionOf(tagStart));
        _lineStarting = end.Value.EndsWith('\n');
        return end.Index + end.Length;
    }

    /// <summary>Tokens inside <c>{{ }}</c> or <c>{% %}</c> up to the closing delimiter; a closing delimiter inside open
    /// brackets is read as operators, as in jinja2 (so <c>{{ {'a': {'b': 1}} }}</c> works).</summary>
    int LexTag(int pos, Regex endRule, TokenKind endKind)
    {
        var brackets = new Stack<char>();
        while (true)
        {
            if (pos >= _text.Length) return pos;
            Match m;
            if (brackets.Count == 0 && (m = endRule.Match(_text, pos)).Success)
            {
                Emit(endKind, m.Value, pos);
                _lineStarting = m.Value.EndsWith('\n');
                return pos + m.Length;
            }
            if ((m = WhitespaceRule.Match(_text, pos)).Success) { }
            else if ((m = FloatRule.Match(_text, pos)).Success)
                Emit(TokenKind.Float, m.Value, pos, double.Parse(m.Value.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture));
            else if ((m = IntegerRule.Match(_text, pos)).Success)
                Emit(TokenKind.Integer, m.Value, pos, ParseInteger(m.Value, pos));
            else if ((m = NameRule.Match(_text, pos)).Success)
                Emit(TokenKind.Name, m.Value, pos);
            else if ((m = StringRule.Match(_text, pos)).Success)
                Emit(TokenKind.String, m.Value, pos, StringLiteral.Decode(m.Value[1..^1], _source.PositionOf(pos)));
            else if ((m = OperatorRule.Match(_text, pos)).Success)
            {
                Balance(brackets, m.Value, pos);
                Emit(TokenKind.Operator, m.Value, pos);
            }
            else throw new JinjaException(JinjaErrorKind.Syntax, $"unexpected char {PythonRepr.Repr(_text[pos].ToString())} at {pos}", _source.PositionOf(pos));
            _lineStarting = m.Value.EndsWith('\n');
            pos += m.Length;
        }
    }

    void Balance(Stack<char> brackets, string op, int pos)
    {
        switch (op)
        {
            case "{": brackets.Push('}'); break;
            case "(": brackets.Push(')'); break;
            case "[": brackets.Push(']'); break;
            case "}" or ")" or "]":
                if (brackets.Count == 0) throw new JinjaException(JinjaErrorKind.Syntax, $"unexpected '{op}'", _source.PositionOf(pos));
                var expected = brackets.Pop();
                if (expected != op[0]) throw new JinjaException(JinjaErrorKind.Syntax, $"unexpected '{op}', expected '{expected}'", _source.PositionOf(pos));
                break;
        }
    }

    object ParseInteger(string text, int pos)
    {
        var digits = text.Replace("_", "");
        var (radix, body) = digits.Length > 1 && digits[0] == '0' && char.ToLowerInvariant(digits[1]) is 'b' or 'o' or 'x'
            ? (char.ToLowerInvariant(digits[1]) switch { 'b' => 2, 'o' => 8, _ => 16 }, digits[2..])
            : (10, digits);
        try
        {
            long value = 0;
            foreach (var c in body) value = checked(value * radix + Convert.ToInt32(c.ToString(), 16));
            return value;
        }
        catch (OverflowException)
        {
            throw JinjaException.Unsupported($"The integer literal {text} (beyond 64 bits)", _source.PositionOf(pos));
        }
    }

    void Emit(TokenKind kind, string text, int offset, object? value = null)
    {
        if (kind == TokenKind.Data && text.Length == 0) return;
        _tokens.Add(new Token(kind, text, value ?? (kind == TokenKind.Data ? text : null), _source.PositionOf(offset)));
    }
}
