using System.Collections.Generic;
using System.Globalization;
using System.Text;
using ModelDsl.Families;

namespace ModelDsl.Generators.Families.FromConfig;

/// <summary>A JSON syntax error, with where it is (1-based line and column, 0-based offset).</summary>
internal sealed record JsonError(string Message, int Line, int Column, int Offset)
{
    public override string ToString() => $"{Message} at line {Line}, column {Column} (offset {Offset})";
}

/// <summary>
/// A small, strict JSON parser (RFC 8259, as System.Text.Json reads it: no comments, trailing commas, NaN or
/// unpaired surrogates) for <c>config.json</c> files at compile time, where System.Text.Json is not available.
/// Bounded in size and depth, and it never throws: malformed input gives a <see cref="JsonError"/>.
/// </summary>
internal sealed class JsonParser
{
    /// <summary>The largest file read (a config.json is a few kilobytes).</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    const int MaxDepth = 64;

    readonly string _text;
    int _position;
    JsonError? _error;

    JsonParser(string text) => _text = text;

    /// <summary>The root value of <paramref name="text"/>, or the first syntax error.</summary>
    public static (ConfigNode? Root, JsonError? Error) Parse(string text)
    {
        if (text.Length > MaxLength)
            return (null, new JsonError($"the file has {text.Length} characters, more than the {MaxLength} a config.json may have", 1, 1, 0));
        var parser = new JsonParser(text);
        if (parser.Peek() == '\uFEFF') parser._position++;
        var root = parser.Value(0);
        if (parser._error is null)
        {
            parser.SkipWhitespace();
            if (parser._position < text.Length) parser.Fail("unexpected text after the JSON value");
        }
        return parser._error is { } error ? (null, error) : (root, null);
    }

    ConfigNode? Value(int depth)
    {
        if (depth > MaxDepth) return Fail($"nesting deeper than {MaxDepth} levels");
        SkipWhitespace();
        int start = _position;
        switch (Peek())
        {
            case '{': return Object(depth);
            case '[': return Array(depth);
            case '"': return String() is { } s ? new JsonNode(ConfigNodeKind.String, Raw(start), s) : null;
            case 't': return Literal("true", ConfigNodeKind.Bool, true);
            case 'f': return Literal("false", ConfigNodeKind.Bool, false);
            case 'n': return Literal("null", ConfigNodeKind.Null, false);
            case '\0' when _position >= _text.Length: return Fail("the JSON ends where a value was expected");
            default:
                return Peek() == '-' || char.IsDigit(Peek()) ? Number() : Fail($"unexpected character '{Printable(Peek())}' where a value was expected");
        }
    }

    ConfigNode? Object(int depth)
    {
        int start = _position++;
        var properties = new Dictionary<string, ConfigNode>(System.StringComparer.Ordinal);
        SkipWhitespace();
        if (Peek() == '}') { _position++; return new JsonNode(ConfigNodeKind.Object, Raw(start), properties: properties); }
        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"') return Fail("expected a property name in double quotes");
            var name = String();
            if (name is null) return null;
            SkipWhitespace();
            if (Peek() != ':') return Fail("expected ':' after a property name");
            _position++;
            var value = Value(depth + 1);
            if (value is null) return null;
            properties[name] = value;   // a repeated name: the last one counts, as in System.Text.Json and Python
            SkipWhitespace();
            if (Peek() == ',') { _position++; continue; }
            if (Peek() == '}') { _position++; return new JsonNode(ConfigNodeKind.Object, Raw(start), properties: properties); }
            return Fail("expected ',' or '}' in an object");
        }
    }

    ConfigNode? Array(int depth)
    {
        int start = _position++;
        var items = new List<ConfigNode>();
        SkipWhitespace();
        if (Peek() == ']') { _position++; return new JsonNode(ConfigNodeKind.Array, Raw(start), items: items); }
        while (true)
        {
            var value = Value(depth + 1);
            if (value is null) return null;
            items.Add(value);
            SkipWhitespace();
            if (Peek() == ',') { _position++; continue; }
            if (Peek() == ']') { _position++; return new JsonNode(ConfigNodeKind.Array, Raw(start), items: items); }
            return Fail("expected ',' or ']' in an array");
        }
    }

    string? String()
    {
        _position++;   // the opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length) { Fail("the JSON ends inside a string"); return null; }
            char c = _text[_position];
            if (c == '"') { _position++; break; }
            if (c < ' ') { Fail("a control character inside a string must be escaped"); return null; }
            if (c != '\\') { builder.Append(c); _position++; continue; }
            _position++;
            char escape = Peek();
            _position++;
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        _position--;
                        Fail("\\u must be followed by four hexadecimal digits");
                        return null;
                    }
                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    _position -= 2;
                    Fail($"'\\{Printable(escape)}' is not a JSON escape");
                    return null;
            }
        }
        var text = builder.ToString();
        for (int i = 0; i < text.Length; i++)
        {
            // An escaped surrogate must be half of a pair: a lone one is not text (System.Text.Json refuses it too).
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i])) { Fail("a string escapes an unpaired UTF-16 surrogate, which is not text"); return null; }
        }
        return text;
    }

    ConfigNode? Number()
    {
        int start = _position;
        if (Peek() == '-') _position++;
        if (Peek() == '0') _position++;
        else if (char.IsDigit(Peek())) while (char.IsDigit(Peek())) _position++;
        else return Fail("a number needs digits");
        bool integer = true;
        if (Peek() == '.')
        {
            integer = false;
            _position++;
            if (!char.IsDigit(Peek())) return Fail("a number needs digits after '.'");
            while (char.IsDigit(Peek())) _position++;
        }
        if (Peek() is 'e' or 'E')
        {
            integer = false;
            _position++;
            if (Peek() is '+' or '-') _position++;
            if (!char.IsDigit(Peek())) return Fail("a number needs digits in its exponent");
            while (char.IsDigit(Peek())) _position++;
        }
        var lexeme = _text.Substring(start, _position - start);
        return new JsonNode(ConfigNodeKind.Number, Raw(start), number: lexeme, integer: integer);
    }

    ConfigNode? Literal(string word, ConfigNodeKind kind, bool value)
    {
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
            return Fail($"unexpected character '{Printable(Peek())}' where a value was expected");
        int start = _position;
        _position += word.Length;
        return new JsonNode(kind, Raw(start), boolean: value);
    }

    void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r') _position++;
    }

    char Peek() => _position < _text.Length ? _text[_position] : '\0';

    (string Source, int Start, int End) Raw(int start) => (_text, start, System.Math.Min(_position, _text.Length));

    static string Printable(char c) => c < ' ' ? $"\\u{(int)c:x4}" : c.ToString();

    ConfigNode? Fail(string message)
    {
        if (_error is not null) return null;
        int line = 1, column = 1;
        for (int i = 0; i < _position && i < _text.Length; i++)
        {
            if (_text[i] == '\n') { line++; column = 1; }
            else column++;
        }
        _error = new JsonError(message, line, column, _position);
        return null;
    }

    /// <summary>One parsed value.</summary>
    sealed class JsonNode(ConfigNodeKind kind, (string Source, int Start, int End) raw, string? text = null, Dictionary<string, ConfigNode>? properties = null,
        List<ConfigNode>? items = null, string? number = null, bool integer = false, bool boolean = false) : ConfigNode
    {
        const int ShownCharacters = 80;
        static readonly List<ConfigNode> NoItems = new();

        public override ConfigNodeKind Kind => kind;

        public override string Text => raw.End - raw.Start <= ShownCharacters
            ? raw.Source.Substring(raw.Start, raw.End - raw.Start)
            : raw.Source.Substring(raw.Start, ShownCharacters) + "…";

        public override bool Bool => boolean;

        public override string? String => kind == ConfigNodeKind.String ? text : null;

        public override bool TryGetInteger(out long value)
        {
            value = 0;
            return kind == ConfigNodeKind.Number && integer && long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        public override bool TryGetDouble(out double value)
        {
            value = 0;
            return kind == ConfigNodeKind.Number
                && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
                && !double.IsInfinity(value);
        }

        public override IReadOnlyList<ConfigNode> Items => items ?? NoItems;

        public override ConfigNode? Property(string name) =>
            properties is not null && properties.TryGetValue(name, out var value) ? value : null;
    }
}
