using System;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// Compiled schema nodes as an automaton over the UTF-8 bytes of compact JSON: no whitespace between tokens,
/// object properties in schema order, numbers in plain decimal notation. Each use of a node gets its own copy of the
/// states, so that what follows a value is known from the state alone.
/// </summary>
internal sealed class JsonGrammar
{
    /// <summary>Most digits before and after the decimal point of a <c>number</c>: any such value fits a double and a decimal.</summary>
    public const int NumberIntegerDigits = 15, NumberFractionDigits = 15;

    readonly ByteNfa _nfa;

    JsonGrammar(ByteNfa nfa) => _nfa = nfa;

    /// <summary>The automaton of <paramref name="root"/> with its start and accepting state.</summary>
    public static (ByteNfa Nfa, int Start, int Accept) Build(SchemaNode root, int maxStates)
    {
        var nfa = new ByteNfa(maxStates);
        var start = nfa.Add();
        var accept = nfa.Add();
        new JsonGrammar(nfa).Value(root, start, accept);
        return (nfa, start, accept);
    }

    void Value(SchemaNode node, int from, int to)
    {
        switch (node)
        {
            case LiteralNode literal:
                foreach (var value in literal.Values) _nfa.Bytes(from, value, to);
                break;
            case StringNode text: String(text, from, to); break;
            case IntegerNode integer: IntegerGrammar.Range(_nfa, from, to, integer.Minimum, integer.Maximum); break;
            case NumberNode: Number(from, to); break;
            case ArrayNode array: Array(array, from, to); break;
            case ObjectNode obj: Object(obj, from, to); break;
            case UnionNode union:
                foreach (var alternative in union.Alternatives) Value(alternative, from, to);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown schema node.");
        }
    }

    void String(StringNode node, int from, int to)
    {
        var open = _nfa.Bytes(from, "\""u8);
        var close = _nfa.Add();
        _nfa.Edge(close, '"', to);
        switch (node.Format)
        {
            case StringFormat.Date: StringGrammar.Date(_nfa, open, close); return;
            case StringFormat.DateTime: StringGrammar.DateTime(_nfa, open, close); return;
        }
        var current = open;
        for (var i = 0; i < node.MinLength; i++)
        {
            var next = _nfa.Add();
            StringGrammar.CodePoint(_nfa, current, next);
            current = next;
        }
        _nfa.Epsilon(current, close);
        if (node.MaxLength is not { } max)
        {
            StringGrammar.CodePoint(_nfa, current, current);
            return;
        }
        for (var i = node.MinLength; i < max; i++)
        {
            var next = _nfa.Add();
            StringGrammar.CodePoint(_nfa, current, next);
            _nfa.Epsilon(next, close);
            current = next;
        }
    }

    /// <summary>-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,15})?</summary>
    void Number(int from, int to)
    {
        var unsigned = _nfa.Add();
        _nfa.Epsilon(from, unsigned);
        _nfa.Edge(from, '-', unsigned);
        var whole = _nfa.Add();   // the integer part is complete
        _nfa.Edge(unsigned, '0', whole);
        var digits = _nfa.Add();
        _nfa.Edge(unsigned, '1', '9', digits);
        _nfa.Epsilon(digits, whole);
        for (var i = 1; i < NumberIntegerDigits; i++)
        {
            var next = _nfa.Add();
            _nfa.Edge(digits, '0', '9', next);
            _nfa.Epsilon(next, whole);
            digits = next;
        }
        _nfa.Epsilon(whole, to);
        var fraction = _nfa.Bytes(whole, "."u8);
        for (var i = 0; i < NumberFractionDigits; i++)
        {
            var next = _nfa.Add();
            _nfa.Edge(fraction, '0', '9', next);
            _nfa.Epsilon(next, to);
            fraction = next;
        }
    }

    void Array(ArrayNode node, int from, int to)
    {
        var current = _nfa.Bytes(from, "["u8);   // after `count` items
        for (var count = 0; ; count++)
        {
            if (count >= node.MinItems) _nfa.Edge(current, ']', to);
            if (count == node.MaxItems) return;
            var start = count == 0 ? current : _nfa.Bytes(current, ","u8);
            if (node.MaxItems is null && count >= node.MinItems && count > 0)
            {
                Value(node.Items, start, current);   // enough items: loop back for more
                return;
            }
            var next = _nfa.Add();
            Value(node.Items, start, next);
            current = next;
        }
    }

    /// <summary>
    /// Properties in schema order; an optional one may be skipped. A comma goes before a property only when one was
    /// written before it, so each position has a "nothing written yet" and a "something written" state.
    /// </summary>
    void Object(ObjectNode node, int from, int to)
    {
        var empty = _nfa.Bytes(from, "{"u8);   // nothing written yet (-1 once a required property is behind)
        int? written = null;                   // something written
        foreach (var property in node.Properties)
        {
            var key = _nfa.Add();
            if (empty >= 0) _nfa.Epsilon(empty, key);
            if (written is { } w) _nfa.Edge(w, ',', key);
            var colon = _nfa.Bytes(key, JsonLiterals.QuotedName(property.Name));
            var valueStart = _nfa.Bytes(colon, ":"u8);
            var after = _nfa.Add();
            Value(property.Value, valueStart, after);
            if (property.Required) empty = -1;
            if (!property.Required && written is { } skipped) _nfa.Epsilon(skipped, after);
            written = after;
        }
        if (empty >= 0) _nfa.Edge(empty, '}', to);
        if (written is { } last) _nfa.Edge(last, '}', to);
    }
}
