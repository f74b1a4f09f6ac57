using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// Python's <c>json.dumps</c> with its <c>ensure_ascii</c>, <c>indent</c>, <c>separators</c> and <c>sort_keys</c>
/// options, byte for byte: <c>", "</c>/<c>": "</c> separators (<c>","</c> when indenting), floats as Python's repr,
/// <c>NaN</c>/<c>Infinity</c>, non-string keys turned into strings, lower-case <c>\u</c> escapes.
/// </summary>
internal sealed class PythonJson
{
    readonly bool _ensureAscii;
    readonly string? _indent;
    readonly string _itemSeparator;
    readonly string _keySeparator;
    readonly bool _sortKeys;

    public PythonJson(bool ensureAscii, object? indent, object? separators, bool sortKeys)
    {
        _ensureAscii = ensureAscii;
        _indent = indent switch
        {
            null => null,
            string s => s,
            long or bool => new string(' ', (int)System.Math.Max(0, PythonTypes.AsLong(indent))),
            _ => throw JinjaException.TypeError($"indent must be an int or a str, not {PythonTypes.NameOf(indent)}"),
        };
        (_itemSeparator, _keySeparator) = separators switch
        {
            null => (_indent is null ? ", " : ",", ": "),
            IReadOnlyList<object?> { Count: 2 } pair when pair[0] is string item && pair[1] is string key => (item, key),
            _ => throw JinjaException.TypeError("separators must be a (item_separator, key_separator) pair of strings"),
        };
        _sortKeys = sortKeys;
    }

    public string Dumps(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    void Write(StringBuilder sb, object? value, int level)
    {
        switch (value)
        {
            case null: sb.Append("null"); return;
            case bool b: sb.Append(b ? "true" : "false"); return;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); return;
            case double d: sb.Append(Float(d)); return;
            case string s: WriteString(sb, s); return;
            case List<object?> list: WriteArray(sb, list, level); return;
            case PyTuple tuple: WriteArray(sb, tuple, level); return;
            case PyDict dict: WriteObject(sb, dict, level); return;
            default: throw JinjaException.TypeError($"Object of type {PythonTypes.NameOf(value)} is not JSON serializable");
        }
    }

    static string Float(double d) => double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PythonFloat.Repr(d);

    void WriteArray(StringBuilder sb, IReadOnlyList<object?> items, int level)
    {
        if (items.Count == 0) { sb.Append("[]"); return; }
        sb.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            sb.Append(i == 0 ? Newline(level + 1) : _itemSeparator + Newline(level + 1));
            Write(sb, items[i], level + 1);
        }
        sb.Append(Newline(level)).Append(']');
    }

    void WriteObject(StringBuilder sb, PyDict dict, int level)
    {
        if (dict.Count == 0) { sb.Append("{}"); return; }
        IEnumerable<KeyValuePair<object?, object?>> pairs = dict.Pairs;
        if (_sortKeys) pairs = Sorting.StableSort(pairs.ToList(), p => p.Key);
        sb.Append('{');
        var first = true;
        foreach (var (key, value) in pairs)
        {
            sb.Append(first ? Newline(level + 1) : _itemSeparator + Newline(level + 1));
            first = false;
            WriteString(sb, KeyText(key));
            sb.Append(_keySeparator);
            Write(sb, value, level + 1);
        }
        sb.Append(Newline(level)).Append('}');
    }

    static string KeyText(object? key) => key switch
    {
        string s => s,
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => Float(d),
        _ => throw JinjaException.TypeError($"keys must be str, int, float, bool or None, not {PythonTypes.NameOf(key)}"),
    };

    string Newline(int level)
    {
        if (_indent is null) return "";
        var sb = new StringBuilder("\n");
        for (var i = 0; i < level; i++) sb.Append(_indent);
        return sb.ToString();
    }

    void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || (_ensureAscii && c > 0x7E))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
